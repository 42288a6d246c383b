package io.portcullis.review;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.catalog.OnUnreviewed;
import java.time.Instant;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * At the deadline, a holder nobody decided on: recorded {@code review.unreviewed} with what the
 * campaign's {@code on-unreviewed} says, and set for the gateway "Revoke unreviewed?".
 */
@Component("recordUnreviewed")
class RecordUnreviewed implements JavaDelegate {

  private final ReviewCampaign campaigns;
  private final ReviewStore store;
  private final AuditTrail audit;

  RecordUnreviewed(ReviewCampaign campaigns, ReviewStore store, AuditTrail audit) {
    this.campaigns = campaigns;
    this.store = store;
    this.audit = audit;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Campaign campaign = campaigns.campaign(execution);
    ReviewItem item = campaigns.item(execution);
    Outcome outcome =
        campaign.onUnreviewed() == OnUnreviewed.REVOKE_UNREVIEWED
            ? Outcome.UNREVIEWED_REVOKED
            : Outcome.UNREVIEWED_KEPT;
    Instant now = ClockUtil.getCurrentTime().toInstant();
    if (store.decide(campaign.id(), item.item(), outcome, AuditEvent.SYSTEM, now, null)) {
      audit.record(
          AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.REVIEW_UNREVIEWED)
              .subject(item.holder())
              .resource(campaign.resource())
              .detail("review", campaign.id())
              .detail("item", item.item())
              .detail("onUnreviewed", campaign.onUnreviewed().name().toLowerCase(Locale.ROOT)));
    } else {
      outcome = campaigns.item(execution).outcome();
    }
    execution.setVariable(ReviewProcess.REMOVE_HOLDER, outcome.revokes());
  }
}
