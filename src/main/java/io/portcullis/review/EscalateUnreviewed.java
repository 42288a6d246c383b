package io.portcullis.review;

import io.portcullis.notification.Notice;
import io.portcullis.notification.Notifications;
import io.portcullis.security.RoleProperties;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Tells the admins of a holder kept because nobody reviewed them (the resource says {@code
 * on-unreviewed: keep}); the admins' task follows this step.
 */
@Component("escalateUnreviewed")
class EscalateUnreviewed implements JavaDelegate {

  static final String KIND = "review.unreviewed";

  private final ReviewCampaign campaigns;
  private final Notifications notifications;
  private final RoleProperties roles;

  EscalateUnreviewed(ReviewCampaign campaigns, Notifications notifications, RoleProperties roles) {
    this.campaigns = campaigns;
    this.notifications = notifications;
    this.roles = roles;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Campaign campaign = campaigns.campaign(execution);
    ReviewItem item = campaigns.item(execution);
    notifications.send(
        () ->
            Notice.of(
                    KIND,
                    campaign.id(),
                    Notice.Recipients.groups(roles.adminGroup()),
                    "Unreviewed and kept: " + item.holder() + "'s access to " + campaign.resource())
                .fact("resource", campaign.resource().value())
                .fact("holder", item.holder().value())
                .fact("owner", campaign.ownerGroup())
                .fact("deadline", campaign.deadline()));
  }
}
