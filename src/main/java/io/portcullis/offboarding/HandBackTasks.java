package io.portcullis.offboarding;

import io.portcullis.approval.DelegationsOfLeavers;
import java.time.Instant;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

/**
 * Hands every task that the leaver claimed, or that was assigned to them, back to its candidate
 * groups, so that no request waits on someone who left. The groups were the task's all along; only
 * the claim goes. Ends the leaver's delegations too, given and received: nobody decides in a
 * leaver's place, and a leaver decides for nobody.
 */
@Component("handBackTasks")
class HandBackTasks implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final TaskService tasks;
  private final DelegationsOfLeavers delegations;

  HandBackTasks(
      BoundOffboardings bound,
      OffboardingRepository offboardings,
      OffboardingEvents events,
      TaskService tasks,
      DelegationsOfLeavers delegations) {
    this.delegations = delegations;
    this.bound = bound;
    this.offboardings = offboardings;
    this.events = events;
    this.tasks = tasks;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_HAND_BACK);
    int round = offboardings.round(o.id());
    Instant now = Offboardings.now();
    for (Task task : tasks.createTaskQuery().taskAssignee(o.username().value()).list()) {
      tasks.setAssignee(task.getId(), null);
      offboardings.insertDone(
          Item.found(
              o.id(), round, Item.Kind.TASK, Item.PORTCULLIS, task.getName(), task.getId(), now),
          now,
          "handed back to its groups");
      events.taskHandedBack(o, task.getId(), task.getName(), task.getProcessInstanceId());
    }
    for (DelegationsOfLeavers.Ended ended :
        delegations.end(o.username(), EndGrant.endedBy(o), EndGrant.REASON)) {
      offboardings.insertDone(
          Item.found(
              o.id(), round, Item.Kind.DELEGATION, Item.PORTCULLIS, ended.who(), ended.id(), now),
          now,
          "delegation " + ended.way() + ": ended");
    }
  }
}
