package io.portcullis.approval;

import io.portcullis.directory.GroupMemberships;
import io.portcullis.kernel.LeavingPeople;
import io.portcullis.kernel.Username;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Shows a delegate, in Tasklist, the approval tasks they may decide in their delegator's place: the
 * delegate becomes a candidate user of each open approval task of the delegator's own groups while
 * the delegation is in force (made when the task opens, when a delegation starts, withdrawn when
 * one ends). This only shows and opens the task to them; whether they may decide is {@link
 * SeparationOfDuties}' rule, asked by the guard at the completion, so a delegation that ran out
 * counts for nothing from its end even where the task is still shown.
 */
@Component
class DelegatedTasks {

  private final DelegationRepository delegations;
  private final ChainRepository chains;
  private final GroupMemberships memberships;
  private final LeavingPeople leaving;

  /** Asked when first needed: the engine's own start needs the listeners that need this. */
  private final ObjectProvider<ProcessEngine> engine;

  DelegatedTasks(
      DelegationRepository delegations,
      ChainRepository chains,
      GroupMemberships memberships,
      LeavingPeople leaving,
      ObjectProvider<ProcessEngine> engine) {
    this.delegations = delegations;
    this.chains = chains;
    this.memberships = memberships;
    this.leaving = leaving;
    this.engine = engine;
  }

  /**
   * The delegates in force now of members of these candidate groups, to whom a task of this chain
   * opening for them is offered too.
   */
  Set<String> delegatesFor(Chain chain, Collection<String> candidateGroups) {
    Set<String> delegates = new LinkedHashSet<>();
    for (Delegation d : delegations.inForce(null, ApprovalChains.now())) {
      if (!d.delegate().sameAs(chain.requester())
          && !leaving.frozen(d.delegator())
          && memberships.of(d.delegator()).stream().anyMatch(candidateGroups::contains)) {
        delegates.add(d.delegate().value());
      }
    }
    return delegates;
  }

  /** The open approval tasks of these groups, offered to this delegate. */
  void offer(Username delegate, Collection<String> groups) {
    if (groups.isEmpty()) {
      return;
    }
    TaskService tasks = engine.getObject().getTaskService();
    for (Task task :
        tasks
            .createTaskQuery()
            .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
            .taskCandidateGroupIn(List.copyOf(groups))
            .includeAssignedTasks()
            .list()) {
      boolean requester =
          chains
              .findByProcessInstance(task.getProcessInstanceId())
              .map(c -> delegate.sameAs(c.requester()))
              .orElse(true);
      boolean offered =
          tasks.getIdentityLinksForTask(task.getId()).stream()
              .anyMatch(
                  l ->
                      IdentityLinkType.CANDIDATE.equals(l.getType())
                          && delegate.value().equals(l.getUserId()));
      if (!requester && !offered) {
        tasks.addCandidateUser(task.getId(), delegate.value());
      }
    }
  }

  /**
   * A delegation of this delegate ended: their candidacy is withdrawn from every open approval
   * task, then given again for the delegations they still hold.
   */
  void withdraw(Username delegate, List<SeparationOfDuties.Delegator> stillHeld) {
    TaskService tasks = engine.getObject().getTaskService();
    for (Task task :
        tasks
            .createTaskQuery()
            .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
            .taskCandidateUser(delegate.value())
            .includeAssignedTasks()
            .list()) {
      tasks.deleteCandidateUser(task.getId(), delegate.value());
    }
    Set<String> groups = new LinkedHashSet<>();
    stillHeld.forEach(d -> groups.addAll(d.groups()));
    offer(delegate, groups);
  }
}
