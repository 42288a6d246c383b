package io.portcullis.kernel;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * How long access is asked (or approved) for: the one reading of an ISO-8601 duration from text,
 * with the one wording of its error, and the one check of a duration against a resource's shortest
 * and longest, whichever door it came through (the API's body, Tasklist's start form, the engine's
 * REST API, an approver's shorter duration).
 */
public record AccessDuration(Duration value) implements Comparable<AccessDuration> {

  /** The field every door names for a duration. */
  public static final String FIELD = "duration";

  /** What text that is not an ISO-8601 duration is told. */
  public static final String NOT_ISO = "is not an ISO-8601 duration such as PT2H";

  public AccessDuration {
    if (value == null) {
      throw required();
    }
  }

  public static AccessDuration of(Duration value) {
    return new AccessDuration(value);
  }

  /**
   * A duration given as ISO-8601 text ({@code PT2H}).
   *
   * @throws InvalidInputException naming {@code duration}, when it is not
   */
  public static AccessDuration of(String text) {
    return new AccessDuration(read(FIELD, text));
  }

  /**
   * A duration as a process variable or a form holds it: a {@code Duration}, or ISO-8601 text; null
   * when none was given, so that the caller's own rules say whether one is required.
   *
   * @throws InvalidInputException naming {@code duration}, when it is neither
   */
  public static AccessDuration from(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof Duration d ? new AccessDuration(d) : of(value.toString());
  }

  /**
   * The one reading of ISO-8601 duration text in Portcullis, for access durations and every other
   * duration given as text (a stage's deadline, a stored value): surrounding blanks are ignored, as
   * JSON bodies' are.
   *
   * @throws InvalidInputException naming {@code field}, when the text is not an ISO-8601 duration
   */
  public static Duration read(String field, String text) {
    if (text == null) {
      throw new InvalidInputException(field, NOT_ISO);
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(field, NOT_ISO);
    }
  }

  /** What a missing duration is told. */
  public static InvalidInputException required() {
    return new InvalidInputException(FIELD, "is required, as an ISO-8601 duration such as PT2H");
  }

  /**
   * This duration, if it lies within a resource's bounds: the one home of that rule.
   *
   * @param resource the resource whose longest it is, named in the error
   * @throws InvalidInputException naming {@code duration}, when it is shorter than {@code min} or
   *     longer than {@code max}
   */
  public AccessDuration within(Duration min, Duration max, ResourceId resource) {
    if (value.compareTo(min) < 0) {
      throw new InvalidInputException(FIELD, "must be at least " + min);
    }
    if (value.compareTo(max) > 0) {
      throw new InvalidInputException(FIELD, "must be at most " + max + " for " + resource);
    }
    return this;
  }

  public boolean longerThan(AccessDuration other) {
    return compareTo(other) > 0;
  }

  public boolean shorterThan(AccessDuration other) {
    return compareTo(other) < 0;
  }

  @Override
  public int compareTo(AccessDuration other) {
    return value.compareTo(other.value);
  }

  /** ISO-8601, as it is stored and shown: {@code PT2H}. */
  @Override
  public String toString() {
    return value.toString();
  }
}
