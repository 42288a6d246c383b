package io.portcullis.review;

import io.portcullis.kernel.Username;
import java.util.Collection;
import java.util.Optional;

/**
 * Who may decide on one holder of a review: the one home of the rule, asked by the guard on every
 * completion (Tasklist, the engine's REST API, Portcullis' API) and by the API before it completes.
 *
 * <ul>
 *   <li>a member of the campaign's owner group;
 *   <li>never the holder (separation of duties: nobody keeps their own access);
 *   <li>only while the holder is still waiting for a decision.
 * </ul>
 */
final class Reviewers {

  private Reviewers() {}

  /** Why this person may not decide on this item now; empty if they may. */
  static Optional<String> whyNot(
      Username who, Collection<String> groups, Campaign campaign, ReviewItem item) {
    if (who.sameAs(item.holder())) {
      return Optional.of("a holder cannot review their own access");
    }
    if (!groups.contains(campaign.ownerGroup())) {
      return Optional.of(
          who + " is not in the owner group " + campaign.ownerGroup() + " of this review");
    }
    if (item.outcome() != Outcome.PENDING) {
      return Optional.of("this holder was decided already: " + item.outcome());
    }
    return Optional.empty();
  }
}
