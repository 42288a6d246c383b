package io.portcullis.web;

/**
 * Whether a failure is a rule's answer, which every door turns into a 4xx of its own ({@link
 * InvalidInputException}, {@link RefusedException}, {@link ApiException}), found in the exceptions the
 * engine wraps around it. A caller that explains other failures (a change that met another) leaves these
 * as they are.
 */
public final class RuleAnswers {

  private RuleAnswers() {}

  public static boolean in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidInputException || t instanceof RefusedException || t instanceof ApiException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A rule's answer as the one line a door logs for it: the answer may quote what the caller sent, so no
   * character of it may end the line and start one that looks like another record.
   */
  public static String asLogLine(String answer) {
    return answer == null ? "" : answer.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ");
  }
}
