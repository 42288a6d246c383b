package io.portcullis.audit;

import io.portcullis.kernel.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Reads the audit API's query parameters from their text, so that each bad one is reported by its
 * name and with what it should look like.
 */
final class AuditParameters {

  private static final Pattern TEXT = Pattern.compile("[^\\p{Cntrl}]{1,256}");

  private AuditParameters() {}

  static Instant instant(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          name, "is not an ISO-8601 instant such as 2026-01-01T09:00:00Z");
    }
  }

  static String text(String name, String value) {
    if (value == null) {
      return null;
    }
    if (!TEXT.matcher(value).matches()) {
      throw new InvalidInputException(
          name, "must be 1 to 256 characters without control characters");
    }
    return value;
  }

  static long number(String name, String value, long defaultValue, long min, long max) {
    if (value == null) {
      return defaultValue;
    }
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name, "must be a whole number from " + min + " to " + max);
    }
    if (n < min || n > max) {
      throw new InvalidInputException(name, "must be a whole number from " + min + " to " + max);
    }
    return n;
  }

  static Long optionalNumber(String name, String value, long min) {
    return value == null ? null : number(name, value, 0, min, Long.MAX_VALUE);
  }
}
