package io.portcullis.notification;

import io.portcullis.web.PublicUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The words of a notice, for a mail and for a chat message: the subject, the facts one per line, what
 * people wrote (only where the channel's setting lets it), and links to the request and, for a task
 * that waits, to Tasklist. Links are built from {@code portcullis.public-url}.
 */
@Component
class NoticeText {

  static final String TASKLIST = "/camunda/app/tasklist/";

  private final PublicUrl publicUrl;

  NoticeText(PublicUrl publicUrl) {
    this.publicUrl = publicUrl;
  }

  /** The link to the request; its JSON for a client, and the request's place for a person. */
  String requestLink(Notice notice) {
    return notice.requestId() == null ? null : publicUrl.origin() + "/api/access-requests/" + notice.requestId();
  }

  String mailSubject(Notice notice) {
    return "[Portcullis] " + notice.subject();
  }

  /** Plain text: mail clients show it as written, and it carries no markup to inject. */
  String mailBody(Notice notice, boolean freeText) {
    List<String> lines = new ArrayList<>();
    lines.add(notice.subject());
    lines.add("");
    notice.facts().forEach((name, value) -> lines.add(label(name) + ": " + value));
    if (freeText) {
      freeTextLines(notice, lines);
    }
    lines.add("");
    links(notice).forEach(lines::add);
    lines.add("");
    lines.add("-- ");
    lines.add("Portcullis, just-in-time access. This message was sent because of a request you are part of.");
    return String.join("\n", lines) + "\n";
  }

  /**
   * One message for Slack and Microsoft Teams alike: plain lines, with {@code &}, {@code <} and {@code >}
   * escaped, as Slack asks (so text from a request never becomes a mention of everyone or a disguised link).
   */
  String chatText(Notice notice, boolean freeText) {
    List<String> lines = new ArrayList<>();
    lines.add("Portcullis: " + notice.subject());
    List<String> facts = new ArrayList<>();
    for (Map.Entry<String, String> fact : notice.facts().entrySet()) {
      facts.add(label(fact.getKey()) + ": " + fact.getValue());
    }
    if (!facts.isEmpty()) {
      lines.add(String.join(" | ", facts));
    }
    if (!notice.recipients().groups().isEmpty()) {
      lines.add("For: " + String.join(", ", notice.recipients().groups()));
    }
    if (freeText) {
      freeTextLines(notice, lines);
    }
    List<String> escaped = new ArrayList<>(lines.stream().map(NoticeText::escape).toList());
    escaped.addAll(links(notice));
    return String.join("\n", escaped);
  }

  private List<String> links(Notice notice) {
    List<String> links = new ArrayList<>();
    String request = requestLink(notice);
    if (request != null) {
      links.add("Request: " + request);
    }
    if (notice.kind().startsWith("approval.")) {
      links.add("Decide in Tasklist: " + publicUrl.origin() + TASKLIST);
    }
    return links;
  }

  private static void freeTextLines(Notice notice, List<String> lines) {
    if (notice.justification() != null) {
      lines.add("");
      lines.add("Justification:");
      notice.justification().lines().forEach(line -> lines.add(line));
    }
    if (notice.comment() != null) {
      lines.add("");
      lines.add("Comment:");
      notice.comment().lines().forEach(line -> lines.add(line));
    }
  }

  /** {@code expiresAt} reads "Expires at". */
  static String label(String name) {
    String words = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
