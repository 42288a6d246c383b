package io.portcullis.approval;

import io.portcullis.directory.GroupMemberships;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Offer the delegator's tasks" (processes/delegation.bpmn), at the delegation's start: the
 * delegation stored for this instance, if it is in force now, offers the open approval tasks of the
 * delegator's own groups to the delegate in Tasklist, and tells the delegate when it was made for
 * later.
 */
@Component("offerDelegatedTasks")
class OfferDelegatedTasks implements JavaDelegate {

  private final DelegationRepository delegations;
  private final DelegatedTasks tasks;
  private final GroupMemberships memberships;
  private final ApprovalNotices notices;

  OfferDelegatedTasks(
      DelegationRepository delegations,
      DelegatedTasks tasks,
      GroupMemberships memberships,
      ApprovalNotices notices) {
    this.notices = notices;
    this.delegations = delegations;
    this.tasks = tasks;
    this.memberships = memberships;
  }

  @Override
  public void execute(DelegateExecution execution) {
    delegations
        .findByProcessInstance(execution.getProcessInstanceId())
        .filter(d -> d.inForceAt(ApprovalChains.now()))
        .ifPresent(
            d -> {
              tasks.offer(d.delegate(), memberships.of(d.delegator()));
              // one made to start at once was told when it was made
              if (d.from().isAfter(d.createdAt())) {
                notices.delegationStarted(d);
              }
            });
  }
}
