package io.portcullis.catalog;

import io.portcullis.kernel.InvalidInputException;
import java.time.Duration;

/**
 * A requestable resource.
 *
 * @param id stable identifier used in requests and URLs
 * @param connector the name of the connector that grants it
 * @param target what the connector grants (for ldap-group, the group's DN)
 * @param minDuration the shortest time any request may ask for
 * @param maxDuration the longest time one request may ask for
 * @param environment where it lives ({@code staging}, {@code production}, ...): an input of the approval policy
 * @param risk how much harm its misuse does ({@code low}, {@code medium}, {@code high}): an input of the approval policy
 */
public record Resource(
    String id, String name, String description, String connector, String target, Duration minDuration, Duration maxDuration,
    String environment, String risk) {

  public static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,63}";
  /** An environment or risk level: a word the approval policy matches on. */
  public static final String ATTRIBUTE_PATTERN = "[a-z][a-z0-9-]{0,31}";

  /**
   * Checks how long access to this resource is asked (or approved) for: the one home of that rule,
   * whichever door the duration came through.
   */
  public Duration checkDuration(Duration duration) {
    if (duration == null) {
      throw new InvalidInputException("duration", "is required, as an ISO-8601 duration such as PT2H");
    }
    if (duration.compareTo(minDuration) < 0) {
      throw new InvalidInputException("duration", "must be at least " + minDuration);
    }
    if (duration.compareTo(maxDuration) > 0) {
      throw new InvalidInputException("duration", "must be at most " + maxDuration + " for " + id);
    }
    return duration;
  }
}
