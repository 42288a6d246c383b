package io.portcullis.approval;

import java.util.List;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

/**
 * The stage's reminder is due and nobody has decided it: from now on its escalation group may
 * decide too (the open task is offered to it), and the stage's approvers and escalation group are
 * reminded. Idempotent: a retried step escalates and reminds once.
 */
@Component("escalateStage")
class EscalateStage implements JavaDelegate {

  private final ChainRepository chains;
  private final ApprovalEvents events;
  private final ApprovalNotices notices;
  private final DelegatedTasks delegated;

  EscalateStage(
      ChainRepository chains,
      ApprovalEvents events,
      ApprovalNotices notices,
      DelegatedTasks delegated) {
    this.delegated = delegated;
    this.chains = chains;
    this.events = events;
    this.notices = notices;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Chain chain = ApprovalGuard.boundChain(chains, events, execution.getProcessInstanceId(), null);
    Stage stage = chain.current().orElse(null);
    if (stage == null
        || !chains.markEscalated(chain.requestId(), stage.position(), ApprovalChains.now())) {
      return;
    }
    events.escalated(chain, stage);
    if (stage.escalationGroup() != null) {
      TaskService tasks = execution.getProcessEngineServices().getTaskService();
      for (Task task :
          tasks
              .createTaskQuery()
              .processInstanceId(execution.getProcessInstanceId())
              .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
              .list()) {
        tasks.addCandidateGroup(task.getId(), stage.escalationGroup());
        delegated
            .delegatesFor(chain, List.of(stage.escalationGroup()))
            .forEach(user -> tasks.addCandidateUser(task.getId(), user));
      }
    }
    notices.reminded(chain, stage);
  }
}
