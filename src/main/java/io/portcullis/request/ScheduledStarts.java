package io.portcullis.request;

import io.portcullis.kernel.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.springframework.stereotype.Component;

/**
 * When a scheduled request may start ({@code startAt}, issue 29): not in the past, and at most
 * {@code portcullis.requests.max-start-offset} ahead. The one home of the rule: the API asks it
 * first to answer clearly, and the process's start listener ({@link RequestLifecycle#opened}) asks
 * it again for every door (Tasklist's start form, {@code /engine-rest}).
 */
@Component
public class ScheduledStarts {

  /**
   * How far in the past a start may be and still be taken as "now": a form filled a few seconds
   * ago, or a caller's clock a little behind ours.
   */
  static final Duration TOLERANCE = Duration.ofMinutes(1);

  private final RequestSettings settings;

  public ScheduledStarts(RequestSettings settings) {
    this.settings = settings;
  }

  /**
   * Checks a start against the engine's clock; null (no scheduled start) passes.
   *
   * @return the start, or null
   */
  public Instant check(Instant startAt, Instant now) {
    if (startAt == null) {
      return null;
    }
    if (startAt.isBefore(now.minus(TOLERANCE))) {
      throw new InvalidInputException(
          AccessProcess.STARTS_AT,
          "is in the past (" + startAt + "); leave it out to start on approval");
    }
    Instant latest = now.plus(settings.maxStartOffset());
    if (startAt.isAfter(latest)) {
      throw new InvalidInputException(
          AccessProcess.STARTS_AT,
          "is more than "
              + maxOffset()
              + " ahead (portcullis.requests.max-start-offset); the latest start now is "
              + latest);
    }
    return startAt;
  }

  /** The longest offset as it was set: P30D, not Java's PT720H. */
  String maxOffset() {
    Duration max = settings.maxStartOffset();
    return max.toSeconds() % Duration.ofDays(1).toSeconds() == 0
        ? "P" + max.toDays() + "D"
        : max.toString();
  }

  /**
   * A start as a start variable gives it: an ISO-8601 date and time with its offset ({@code
   * 2026-12-06T23:00:00Z}, {@code 2026-12-07T00:00+01:00}) as text, or a date; null or empty text
   * for none (a start form's empty field).
   */
  static Instant parse(Object value) {
    if (value == null || value instanceof String text && text.isBlank()) {
      return null;
    }
    if (value instanceof Date date) {
      return date.toInstant();
    }
    if (value instanceof String text) {
      try {
        return OffsetDateTime.parse(text.strip()).toInstant();
      } catch (DateTimeParseException e) {
        throw new InvalidInputException(
            AccessProcess.STARTS_AT,
            "must be an ISO-8601 date and time with its offset, such as 2026-12-06T23:00:00Z");
      }
    }
    throw new InvalidInputException(
        AccessProcess.STARTS_AT, "must be an ISO-8601 date and time, as text");
  }
}
