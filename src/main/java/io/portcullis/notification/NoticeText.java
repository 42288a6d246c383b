package io.portcullis.notification;

import io.portcullis.web.PublicUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.stereotype.Component;

/**
 * The words of a notice, for a mail and for a chat message: the subject, the facts one per line,
 * links to the request and, for a task that waits, to Tasklist, and last what people wrote (only
 * where the channel's setting lets it). Links are built from {@code portcullis.public-url}.
 *
 * <p>What people wrote comes after everything Portcullis says, links and sign-off included, and
 * every line of it is quoted ({@code "> "}): a justification that ends with "Open in Portcullis:
 * https://evil.example/approve" and a forged sign-off then reads as a quote, below the real links,
 * never as Portcullis' own last words.
 */
@Component
class NoticeText {

  static final String SIGN_OFF =
      "Portcullis, just-in-time access. This message was sent because of a request you are part of.";

  /** Marks a line that people wrote, in a mail and in a chat message alike. */
  static final String QUOTE = "> ";

  private final PublicUrl publicUrl;

  /** Tasklist's path: under the webapps' path, /camunda by default (/operaton on Operaton). */
  private final String tasklist;

  NoticeText(PublicUrl publicUrl, CamundaBpmProperties camunda) {
    this.publicUrl = publicUrl;
    this.tasklist = camunda.getWebapp().getApplicationPath() + "/app/tasklist/";
  }

  /** The link to the request; its JSON for a client, and the request's place for a person. */
  String requestLink(Notice notice) {
    return notice.requestId() == null
        ? null
        : publicUrl.origin() + "/api/access-requests/" + notice.requestId();
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
    lines.add("");
    links(notice).forEach(lines::add);
    lines.add("");
    // no "-- " signature separator: mail clients grey out or cut everything below it, and the
    // quoted text follows
    lines.add(SIGN_OFF);
    if (freeText) {
      freeTextLines(notice, lines, UnaryOperator.identity());
    }
    return String.join("\n", lines) + "\n";
  }

  /**
   * One message for Slack and Microsoft Teams alike: plain lines, with {@code &}, {@code <} and
   * {@code >} escaped, as Slack asks (so text from a request never becomes a mention of everyone or
   * a disguised link).
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
    List<String> escaped = new ArrayList<>(lines.stream().map(NoticeText::escape).toList());
    escaped.addAll(links(notice));
    if (freeText) {
      // the quote marks are Portcullis' own and stay unescaped, so Slack and Teams show a quote
      freeTextLines(notice, escaped, NoticeText::escape);
    }
    return String.join("\n", escaped);
  }

  private List<String> links(Notice notice) {
    List<String> links = new ArrayList<>();
    String request = requestLink(notice);
    if (request != null) {
      links.add("Request: " + request);
    }
    if (notice.kind().startsWith("approval.")) {
      links.add("Decide in Tasklist: " + publicUrl.origin() + tasklist);
    }
    return links;
  }

  /** What people wrote, each line quoted, after a line that says whose words they are. */
  private static void freeTextLines(
      Notice notice, List<String> lines, UnaryOperator<String> escape) {
    quoted(lines, "Justification, as the requester wrote it:", notice.justification(), escape);
    quoted(lines, "Comment, as written:", notice.comment(), escape);
  }

  private static void quoted(
      List<String> lines, String heading, String text, UnaryOperator<String> escape) {
    if (text == null) {
      return;
    }
    lines.add("");
    lines.add(heading);
    // every kind of line break a reader's program may honour, not only those of String.lines()
    for (String line : text.stripTrailing().split("\\R")) {
      lines.add(line.isBlank() ? QUOTE.strip() : QUOTE + escape.apply(line));
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
