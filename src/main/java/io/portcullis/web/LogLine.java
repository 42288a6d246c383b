package io.portcullis.web;

/** Text that goes into a log line as part of one record. */
public final class LogLine {

  private LogLine() {}

  /**
   * The text as part of one log line: a rule's answer may quote what the caller sent, so no
   * character of it may end the line and start one that looks like another record.
   */
  public static String of(String text) {
    return text == null ? "" : text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", " ");
  }
}
