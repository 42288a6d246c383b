package io.portcullis.approval;

import io.portcullis.kernel.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * When a delegation may run: from now or later (a minute's grace for a form filled a moment ago),
 * until a moment after its start and at most {@code portcullis.approval.max-delegation} after it.
 * The one home of the rule, asked before a delegation is stored.
 */
@Component
public class DelegationPeriods {

  /** How far in the past a start may be and still be taken as "now". */
  static final Duration TOLERANCE = Duration.ofMinutes(1);

  private final ApprovalSettings settings;

  public DelegationPeriods(ApprovalSettings settings) {
    this.settings = settings;
  }

  /** The start, {@code now} when none is given; or a 400 naming {@code from} or {@code until}. */
  public Instant check(Instant from, Instant until, Instant now) {
    Instant start = from == null ? now : from;
    if (start.isBefore(now.minus(TOLERANCE))) {
      throw new InvalidInputException(
          "from", "is in the past (" + start + "); leave it out to start now");
    }
    if (until == null) {
      throw new InvalidInputException("until", "is required: when the delegation ends");
    }
    if (!until.isAfter(start) || !until.isAfter(now)) {
      throw new InvalidInputException(
          "until", "must be after the start (" + start + ") and in the future, not " + until);
    }
    Duration max = settings.maxDelegation();
    if (Duration.between(start, until).compareTo(max) > 0) {
      throw new InvalidInputException(
          "until",
          "is more than "
              + shown(max)
              + " after the start (portcullis.approval.max-delegation); the latest end is "
              + start.plus(max));
    }
    return start;
  }

  /** As it was set: P90D, not Java's PT2160H. */
  private static String shown(Duration d) {
    return d.toSeconds() % Duration.ofDays(1).toSeconds() == 0
        ? "P" + d.toDays() + "D"
        : d.toString();
  }
}
