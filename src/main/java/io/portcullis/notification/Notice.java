package io.portcullis.notification;

import io.portcullis.kernel.RequestId;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to tell whom about one request: what happened ({@code kind}), the request, the people and
 * groups to tell, a one-line {@code subject}, and the facts (requester, resource, duration,
 * decision, approver, stage, times) in the order a reader reads them.
 *
 * <p>What people wrote themselves (the requester's {@code justification}, an approver's {@code
 * comment}) is kept apart from the facts: it may hold anything, a secret pasted by mistake
 * included, so a chat message carries it only when {@code
 * portcullis.notifications.webhook.include-justification} says so. Facts are short values that
 * Portcullis itself checked (names, ids, durations, instants).
 *
 * <pre>{@code
 * notifications.send(Notice.of(Notice.ACCESS_GRANTED, request.id(), Recipients.users(request.requester()),
 *         "Access to staging-db-admin granted to alice until 10:00Z")
 *     .fact("requester", request.requester()).fact("resource", request.resource()));
 * }</pre>
 */
public record Notice(
    String kind,
    String requestId,
    Recipients recipients,
    String subject,
    Map<String, String> facts,
    String justification,
    String comment) {

  /** An approval task waits for the recipients (an approver group). */
  public static final String APPROVAL_WAITING = "approval.waiting";

  /** An approval task has waited for long: a reminder to its approvers and the escalation group. */
  public static final String APPROVAL_REMINDER = "approval.reminder";

  /** An approver decided a stage of the request. */
  public static final String REQUEST_DECIDED = "request.decided";

  /** The request ended without access (lapsed, cancelled by someone other than the requester). */
  public static final String REQUEST_CLOSED = "request.closed";

  /** The access was granted. */
  public static final String ACCESS_GRANTED = "access.granted";

  /** The access ended: expired or revoked. */
  public static final String ACCESS_ENDED = "access.ended";

  /** The longest subject, in characters: a longer one is refused, so a caller cuts its own. */
  public static final int MAX_SUBJECT = 200;

  /** The longest fact, in characters: a longer one is cut, with "...". */
  public static final int MAX_FACT = 500;

  static final int MAX_FACTS = 20;
  static final int MAX_FREE_TEXT = 4000;
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");
  private static final Pattern FACT_NAME = Pattern.compile("[a-z][A-Za-z0-9]{0,39}");
  private static final Pattern REQUEST_ID = Pattern.compile(RequestId.PATTERN);
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  public Notice {
    if (kind == null || !KIND.matcher(kind).matches() || kind.length() > 64) {
      throw new IllegalArgumentException(
          "a notice's kind is of the form noun.verb, such as access.granted, not " + kind);
    }
    if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
      throw new IllegalArgumentException(
          "a notice's request id is letters, digits and dashes, at most 64");
    }
    Objects.requireNonNull(recipients, "recipients");
    // one line: the subject becomes a mail header and a chat line, where a line break would forge
    // another
    subject = subject == null ? "" : CONTROL.matcher(subject).replaceAll(" ").strip();
    if (subject.isEmpty() || subject.length() > MAX_SUBJECT) {
      throw new IllegalArgumentException(
          "a notice's subject is one line of 1 to " + MAX_SUBJECT + " characters");
    }
    Map<String, String> checked = new LinkedHashMap<>();
    (facts == null ? Map.<String, String>of() : facts)
        .forEach(
            (name, value) -> {
              if (!FACT_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                    "a fact's name is a camelCase word, not " + name);
              }
              if (value != null) {
                String line = CONTROL.matcher(value).replaceAll(" ").strip();
                checked.put(
                    name, line.length() > MAX_FACT ? line.substring(0, MAX_FACT) + "..." : line);
              }
            });
    if (checked.size() > MAX_FACTS) {
      throw new IllegalArgumentException("a notice has at most " + MAX_FACTS + " facts");
    }
    facts = Collections.unmodifiableMap(checked);
    justification = freeText(justification);
    comment = freeText(comment);
  }

  /** A notice with no facts yet; add them with {@link #fact(String, Object)}. */
  public static Notice of(String kind, String requestId, Recipients recipients, String subject) {
    return new Notice(kind, requestId, recipients, subject, Map.of(), null, null);
  }

  /**
   * This notice with one more fact (a null value is left out); values are written with {@code
   * toString()}.
   */
  public Notice fact(String name, Object value) {
    Map<String, String> more = new LinkedHashMap<>(facts);
    if (value != null) {
      more.put(name, value.toString());
    }
    return new Notice(kind, requestId, recipients, subject, more, justification, comment);
  }

  /**
   * This notice with the requester's justification, which chat messages leave out unless
   * configured.
   */
  public Notice justification(String text) {
    return new Notice(kind, requestId, recipients, subject, facts, text, comment);
  }

  /** This notice with an approver's comment, which chat messages leave out unless configured. */
  public Notice comment(String text) {
    return new Notice(kind, requestId, recipients, subject, facts, justification, text);
  }

  private static String freeText(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    return text.length() > MAX_FREE_TEXT ? text.substring(0, MAX_FREE_TEXT) + "..." : text;
  }

  /**
   * Whom to tell: people by login name and groups by id, as the directory names them; group members
   * are found when the notice is sent. {@code except} leaves people out wherever they appear (the
   * requester, in the approver group that is told about their own request).
   */
  public record Recipients(List<String> users, List<String> groups, Set<String> except) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,256}");

    public Recipients {
      users = names(users);
      groups = names(groups);
      except = Set.copyOf(names(except == null ? null : List.copyOf(except)));
      if (users.isEmpty() && groups.isEmpty()) {
        throw new IllegalArgumentException("a notice is for at least one person or group");
      }
    }

    public static Recipients users(String... users) {
      return new Recipients(List.of(users), List.of(), Set.of());
    }

    public static Recipients groups(String... groups) {
      return new Recipients(List.of(), List.of(groups), Set.of());
    }

    /** These recipients without the given person. */
    public Recipients except(String user) {
      Set<String> more = new HashSet<>(except);
      more.add(user);
      return new Recipients(users, groups, more);
    }

    /** How many people and groups are named. */
    int count() {
      return users.size() + groups.size();
    }

    private static List<String> names(List<String> names) {
      if (names == null) {
        return List.of();
      }
      for (String name : names) {
        if (name == null || !NAME.matcher(name).matches()) {
          throw new IllegalArgumentException(
              "a recipient is a directory name (letters, digits and ._@-), not " + name);
        }
      }
      return names.stream().distinct().toList();
    }
  }
}
