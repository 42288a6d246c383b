package io.portcullis.web;

import io.portcullis.kernel.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The one rule for every free-text field that people write and others read (a justification, a
 * comment, a reason): bounded, and free of the characters that make text lie to its reader. Control
 * characters other than tab and line breaks forge log lines; format characters (bidi overrides such
 * as U+202E, zero-width characters) make an approver read something other than what is stored;
 * unpaired surrogates and the Unicode line and paragraph separators break the JSON and log lines
 * that carry it.
 *
 * <p>Which fields keep line breaks is decided per field: a justification is a text, read as a whole
 * (in a text area, quoted in a notice), and keeps them; a decision's comment and a revoke's reason
 * are one line beside a recorded fact (a decision, an end), and a line break there could start a
 * line that looks like another record, so they are refused ({@link #optionalLine}, {@link
 * #requiredLine}).
 */
public final class FreeText {

  private static final Pattern FORBIDDEN =
      Pattern.compile("[\\p{Cc}&&[^\\t\\n\\r]]|\\p{Cf}|\\p{Cs}|\\p{Zl}|\\p{Zp}");

  private FreeText() {}

  /** A text that must be given. */
  public static String required(String field, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, "is required");
    }
    return checked(field, value, maxLength);
  }

  /** A text that may be left out; blank counts as left out. */
  public static String optional(String field, String value, int maxLength) {
    return value == null || value.isBlank() ? null : checked(field, value, maxLength);
  }

  /** A one-line text that must be given: {@link #required}, and no line break. */
  public static String requiredLine(String field, String value, int maxLength) {
    return oneLine(field, required(field, value, maxLength));
  }

  /** A one-line text that may be left out: {@link #optional}, and no line break. */
  public static String optionalLine(String field, String value, int maxLength) {
    return oneLine(field, optional(field, value, maxLength));
  }

  private static String oneLine(String field, String value) {
    if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
      throw new InvalidInputException(field, "must be one line (no line break)");
    }
    return value;
  }

  private static String checked(String field, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw new InvalidInputException(field, "must be at most " + maxLength + " characters");
    }
    var found = FORBIDDEN.matcher(value);
    if (found.find()) {
      throw new InvalidInputException(
          field,
          String.format(
              "must not contain control or formatting characters (U+%04X at %d)",
              value.codePointAt(found.start()), found.start()));
    }
    return value;
  }
}
