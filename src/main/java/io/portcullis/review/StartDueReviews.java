package io.portcullis.review;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Starts a campaign for every resource whose review is due: one with {@code review-every}, no open
 * campaign, and none started within that period (never reviewed: due now). The last campaign's
 * start is the stored campaign's, so a restart or a second node never starts one twice.
 */
@Component("startDueReviews")
class StartDueReviews implements JavaDelegate {

  static final String ACTOR = "review-schedule";

  private final Catalog catalog;
  private final ReviewStore store;
  private final AccessReviews reviews;

  StartDueReviews(Catalog catalog, ReviewStore store, AccessReviews reviews) {
    this.catalog = catalog;
    this.store = store;
    this.reviews = reviews;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Instant now = ClockUtil.getCurrentTime().toInstant();
    for (Resource resource : catalog.all()) {
      Optional<Duration> every = resource.review().schedule();
      if (every.isEmpty() || store.openOf(resource.id()).isPresent()) {
        continue;
      }
      Optional<Instant> last = store.lastStarted(resource.id());
      if (last.isEmpty() || !last.get().plus(every.get()).isAfter(now)) {
        reviews.start(resource.id(), ACTOR);
      }
    }
  }
}
