package io.portcullis.approval;

import io.portcullis.kernel.Username;
import java.time.Instant;

/**
 * An approver's decisions handed to a named person for a period: the delegate decides in the
 * delegator's place from {@code from} until {@code until}, unless it is ended before.
 */
public record Delegation(
    String id,
    Username delegator,
    Username delegate,
    Instant from,
    Instant until,
    String reason,
    Instant createdAt,
    Instant endedAt,
    Username endedBy) {

  /** Where a delegation stands at a moment. */
  public enum Status {
    SCHEDULED,
    IN_FORCE,
    EXPIRED,
    ENDED
  }

  public Status statusAt(Instant now) {
    if (endedAt != null) {
      return Status.ENDED;
    }
    if (!now.isBefore(until)) {
      return Status.EXPIRED;
    }
    return now.isBefore(from) ? Status.SCHEDULED : Status.IN_FORCE;
  }

  public boolean inForceAt(Instant now) {
    return statusAt(now) == Status.IN_FORCE;
  }
}
