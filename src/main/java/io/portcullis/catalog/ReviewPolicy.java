package io.portcullis.catalog;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.modulith.NamedInterface;

/**
 * How a resource's standing access is reviewed (issue 30, item 3): the owner group that decides,
 * how often a campaign starts by itself, how long the owners have, and what happens to a holder
 * nobody decided on.
 *
 * @param every how often a campaign starts by itself; null: only on demand
 * @param owner the directory group that reviews; null: the resource is not reviewed
 * @param within how long a campaign runs before its deadline
 * @param onUnreviewed what the deadline does with a holder nobody decided on
 */
@NamedInterface("resources")
public record ReviewPolicy(
    Duration every, String owner, Duration within, OnUnreviewed onUnreviewed) {

  /** How long the owners have when the catalog does not say. */
  public static final Duration DEFAULT_WITHIN = Duration.ofDays(14);

  /** Not reviewed. */
  public static final ReviewPolicy NONE =
      new ReviewPolicy(null, null, DEFAULT_WITHIN, OnUnreviewed.REVOKE_UNREVIEWED);

  static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,63}");

  public ReviewPolicy {
    within = within == null ? DEFAULT_WITHIN : within;
    onUnreviewed = onUnreviewed == null ? OnUnreviewed.REVOKE_UNREVIEWED : onUnreviewed;
  }

  /** Whether the resource has an owner group to review it (on demand, or on a schedule). */
  public boolean reviewable() {
    return owner != null;
  }

  /** How often a campaign starts by itself, if it does. */
  public Optional<Duration> schedule() {
    return Optional.ofNullable(every);
  }

  /**
   * Checks the catalog's settings together.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  static ReviewPolicy of(
      Duration every, String owner, Duration within, OnUnreviewed onUnreviewed, Standing standing) {
    if (owner != null && !GROUP_ID.matcher(owner).matches()) {
      throw new IllegalArgumentException("owner '" + owner + "' is not a directory group id");
    }
    if (every != null) {
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("review-every must be positive: " + every);
      }
      if (owner == null) {
        throw new IllegalArgumentException("review-every needs an owner group to review");
      }
    }
    if ((every != null || owner != null) && standing.isNone()) {
      throw new IllegalArgumentException(
          "a review needs a standing list: only standing access is reviewed, and 'standing' is none");
    }
    Duration deadline = within == null ? DEFAULT_WITHIN : within;
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("review-within must be positive: " + deadline);
    }
    if (every != null && deadline.compareTo(every) >= 0) {
      throw new IllegalArgumentException(
          "review-within " + deadline + " must be shorter than review-every " + every);
    }
    return new ReviewPolicy(every, owner, deadline, onUnreviewed);
  }
}
