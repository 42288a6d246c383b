package io.portcullis.review;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.notification.Notice;
import io.portcullis.notification.Notifications;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Reminds the owner group, {@code portcullis.reviews.reminder-before} the deadline, of the holders
 * still waiting; nothing when none is. The notice is sent by its own process, with its own retries.
 */
@Component("remindOwners")
class RemindOwners implements JavaDelegate {

  static final String KIND = "review.reminder";

  private final ReviewCampaign campaigns;
  private final ReviewStore store;
  private final Notifications notifications;
  private final AuditTrail audit;

  RemindOwners(
      ReviewCampaign campaigns, ReviewStore store, Notifications notifications, AuditTrail audit) {
    this.campaigns = campaigns;
    this.store = store;
    this.notifications = notifications;
    this.audit = audit;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Campaign campaign = campaigns.campaign(execution);
    long pending =
        store.items(campaign.id()).stream().filter(i -> i.outcome() == Outcome.PENDING).count();
    if (pending == 0) {
      return;
    }
    notifications.send(
        () ->
            Notice.of(
                    KIND,
                    campaign.id(),
                    Notice.Recipients.groups(campaign.ownerGroup()),
                    "Access review of " + campaign.resource() + ": " + pending + " still to decide")
                .fact("resource", campaign.resource().value())
                .fact("deadline", campaign.deadline())
                .fact("onUnreviewed", campaign.onUnreviewed().name().toLowerCase(Locale.ROOT)));
    audit.record(
        AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.REVIEW_REMINDED)
            .resource(campaign.resource())
            .detail("review", campaign.id())
            .detail("owner", campaign.ownerGroup())
            .detail("pending", pending));
  }
}
