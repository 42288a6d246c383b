package io.portcullis.web;

import java.util.regex.Pattern;

/**
 * The one rule for every free-text field that people write and others read (a justification, a
 * comment, a reason): bounded, and free of the characters that make text lie to its reader. Control
 * characters other than tab and line breaks forge log lines; format characters (bidi overrides such as
 * U+202E, zero-width characters) make an approver read something other than what is stored; unpaired
 * surrogates and the Unicode line and paragraph separators break the JSON and log lines that carry it.
 */
public final class FreeText {

  private static final Pattern FORBIDDEN = Pattern.compile("[\\p{Cc}&&[^\\t\\n\\r]]|\\p{Cf}|\\p{Cs}|\\p{Zl}|\\p{Zp}");

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

  private static String checked(String field, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw new InvalidInputException(field, "must be at most " + maxLength + " characters");
    }
    var found = FORBIDDEN.matcher(value);
    if (found.find()) {
      throw new InvalidInputException(field, String.format("must not contain control or formatting characters (U+%04X at %d)",
          value.codePointAt(found.start()), found.start()));
    }
    return value;
  }
}
