package io.portcullis.review;

import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * Opens one holder's review task (and names the admins' follow-up of a holder kept unreviewed):
 * offered to the campaign's owner group (as stored, never a variable), named for the holder, due at
 * the deadline, with what the form shows, and bound to its item so that a decision finds the item
 * by its task.
 */
@Component("reviewTaskOpened")
class ReviewTaskOpened implements TaskListener {

  static final String HOLDER = "holder";
  static final String RESOURCE = "resourceId";
  static final String HISTORY = "holderHistory";
  static final String DEADLINE = "deadline";

  private final ReviewCampaign campaigns;
  private final ReviewStore store;

  ReviewTaskOpened(ReviewCampaign campaigns, ReviewStore store) {
    this.campaigns = campaigns;
    this.store = store;
  }

  @Override
  public void notify(DelegateTask task) {
    Campaign campaign = campaigns.campaign(task.getExecution());
    ReviewItem item = campaigns.item(task.getExecution());
    task.setVariableLocal(HOLDER, item.holder().value());
    task.setVariableLocal(RESOURCE, campaign.resource().value());
    if (ReviewProcess.TASK_FOLLOW_UP_UNREVIEWED.equals(task.getTaskDefinitionKey())) {
      // the admins' follow-up: offered by the model to the admin group, bound to no decision
      task.setName("Follow up " + item.holder() + "'s unreviewed access to " + campaign.resource());
      task.setDescription(item.history());
      return;
    }
    task.addCandidateGroup(campaign.ownerGroup());
    task.setName("Review " + item.holder() + "'s access to " + campaign.resource());
    task.setDescription(item.history());
    task.setDueDate(Date.from(campaign.deadline()));
    task.setVariableLocal(HISTORY, item.history());
    task.setVariableLocal(DEADLINE, campaign.deadline().toString());
    store.bindTask(campaign.id(), item.item(), task.getId());
  }
}
