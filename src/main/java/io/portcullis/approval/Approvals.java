package io.portcullis.approval;

import io.portcullis.security.Caller;
import io.portcullis.security.EngineIdentity;
import io.portcullis.web.ApiException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;

/**
 * Deciding through Portcullis' API: the caller's right to decide the current stage is checked by the
 * same rules as the guard ({@link SeparationOfDuties}), so the API can answer 403 or 409 clearly; the
 * task is then completed as the caller, and the guard checks again, as it does for every door.
 */
@Service
public class Approvals {

  private final ChainRepository chains;
  private final TaskService tasks;
  private final EngineIdentity engineIdentity;
  private final ApprovalEvents events;

  Approvals(ChainRepository chains, TaskService tasks, EngineIdentity engineIdentity, ApprovalEvents events) {
    this.chains = chains;
    this.tasks = tasks;
    this.engineIdentity = engineIdentity;
    this.events = events;
  }

  /**
   * Decides the current stage of a request the caller may see (the request module checked that).
   *
   * @param duration a shorter duration than asked, for an approval; null: as asked
   */
  public void decide(Caller caller, String requestId, Decision.Verdict verdict, String comment, Duration duration) {
    Chain chain = chains.find(requestId).orElseThrow(() -> ApiException.conflict("The request has no approval chain."));
    Optional<Task> task = chain.current().isEmpty() ? Optional.empty() : Optional.ofNullable(tasks.createTaskQuery()
        .processInstanceId(chain.processInstanceId()).taskDefinitionKey(ApprovalProcess.TASK_APPROVE).singleResult());
    if (task.isEmpty()) {
      throw ApiException.conflict("The request is not waiting for a decision.");
    }
    SeparationOfDuties.whyNot(caller.username(), caller.groups(), chain).ifPresent(why -> {
      events.refused(caller.username(), chain, why);
      throw new ApprovalRefusedException(why + ".");
    });
    Map<String, Object> decision = new HashMap<>();
    decision.put(ApprovalProcess.DECISION, verdict.name().toLowerCase());
    decision.put(ApprovalProcess.DECISION_COMMENT, comment == null || comment.isBlank() ? null : comment);
    if (duration != null) {
      decision.put(ApprovalProcess.APPROVED_DURATION, duration.toString());
    }
    engineIdentity.as(caller, () -> {
      tasks.complete(task.get().getId(), decision);
      return null;
    });
  }

  /** The approval tasks the caller may decide now, oldest first. */
  public List<Waiting> waitingFor(Caller caller) {
    if (caller.groups().isEmpty()) {
      return List.of();
    }
    List<Task> open = tasks.createTaskQuery().taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
        .taskCandidateGroupIn(caller.groups()).includeAssignedTasks().orderByTaskCreateTime().asc().listPage(0, 500);
    Map<String, Chain> byInstance = new HashMap<>();
    chains.findAllByProcessInstance(open.stream().map(Task::getProcessInstanceId).distinct().toList())
        .forEach(c -> byInstance.put(c.processInstanceId(), c));
    return open.stream()
        .filter(t -> byInstance.containsKey(t.getProcessInstanceId()))
        .filter(t -> SeparationOfDuties.whyNot(caller.username(), caller.groups(), byInstance.get(t.getProcessInstanceId())).isEmpty())
        .map(t -> new Waiting(t.getId(), t.getName(), t.getCreateTime().toInstant(), byInstance.get(t.getProcessInstanceId())))
        .toList();
  }


  /** An approval task waiting for the caller, with its request's chain. */
  public record Waiting(String taskId, String taskName, java.time.Instant createdAt, Chain chain) {}
}
