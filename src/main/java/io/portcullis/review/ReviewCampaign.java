package io.portcullis.review;

import io.portcullis.kernel.StepRefusedException;
import io.portcullis.security.RoleProperties;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * What {@code processes/access-review.bpmn} and its schedule ask of Java: the holders to review,
 * the deadline and reminder of the campaign bound to the instance, the admins, the schedule's
 * cycle. Each answer is read from what Portcullis stored, never from a variable.
 */
@Component("reviewCampaign")
public class ReviewCampaign {

  private final ReviewStore store;
  private final ReviewProperties properties;
  private final RoleProperties roles;

  ReviewCampaign(ReviewStore store, ReviewProperties properties, RoleProperties roles) {
    this.store = store;
    this.properties = properties;
    this.roles = roles;
  }

  /** The numbers of the campaign's items, one review each. */
  public List<Integer> items(DelegateExecution execution) {
    return store.items(campaign(execution).id()).stream().map(ReviewItem::item).toList();
  }

  /** When nobody's answer counts any more. */
  public Date deadline(DelegateExecution execution) {
    return Date.from(campaign(execution).deadline());
  }

  /** When the owners are reminded: {@code portcullis.reviews.reminder-before} the deadline. */
  public Date reminderAt(DelegateExecution execution) {
    Campaign campaign = campaign(execution);
    Instant at = campaign.deadline().minus(properties.reminderBefore());
    return Date.from(at.isBefore(campaign.startedAt()) ? campaign.startedAt() : at);
  }

  /** The group that follows up a holder kept unreviewed. */
  public String admins() {
    return roles.adminGroup();
  }

  /** The schedule's cycle, from {@code portcullis.reviews.check-every}. */
  public String cycle() {
    return "R/" + properties.checkEvery();
  }

  Campaign campaign(DelegateExecution execution) {
    return store
        .ofInstance(execution.getProcessInstanceId())
        .orElseThrow(
            () ->
                new StepRefusedException(
                    "no access review is bound to instance " + execution.getProcessInstanceId()));
  }

  ReviewItem item(DelegateExecution execution) {
    Campaign campaign = campaign(execution);
    Object item = execution.getVariable(ReviewProcess.ITEM);
    if (!(item instanceof Integer n)) {
      throw new StepRefusedException("no review item in this execution");
    }
    return store
        .item(campaign.id(), n)
        .orElseThrow(
            () -> new StepRefusedException("review " + campaign.id() + " has no item " + n));
  }
}
