package io.portcullis.approval;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.RuleAnswer;
import io.portcullis.kernel.Username;
import io.portcullis.security.EngineIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/**
 * Deciding through Portcullis' API: the caller's right to decide the current stage is checked by
 * the same rules as the guard ({@link SeparationOfDuties}), so the API can answer 403 or 409
 * clearly; the task is then completed as the caller, and the guard checks again, as it does for
 * every door.
 */
@NamedInterface("chains")
@Service
public class Approvals {

  private static final Logger log = LoggerFactory.getLogger(Approvals.class);

  private final ChainRepository chains;
  private final TaskService tasks;
  private final EngineIdentity engineIdentity;
  private final ApprovalEvents events;
  private final Delegations delegations;

  Approvals(
      ChainRepository chains,
      TaskService tasks,
      EngineIdentity engineIdentity,
      ApprovalEvents events,
      Delegations delegations) {
    this.delegations = delegations;
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
  public void decide(
      Caller caller,
      RequestId requestId,
      Decision.Verdict verdict,
      String comment,
      AccessDuration duration) {
    Chain chain =
        chains
            .find(requestId)
            .orElseThrow(() -> new ConflictException("The request has no approval chain."));
    Map<String, Object> decision = new HashMap<>();
    decision.put(ApprovalProcess.DECISION, verdict.name().toLowerCase());
    decision.put(
        ApprovalProcess.DECISION_COMMENT, comment == null || comment.isBlank() ? null : comment);
    if (duration != null) {
      decision.put(ApprovalProcess.APPROVED_DURATION, duration.toString());
    }
    // the task found, the right checked and the task completed in one engine command: one
    // transaction and one commit (a look-up of its own took another, issue 31)
    AtomicReference<String> completing = new AtomicReference<>();
    try {
      engineIdentity.as(
          caller,
          () -> {
            Task task =
                chain.current().isEmpty()
                    ? null
                    : tasks
                        .createTaskQuery()
                        .processInstanceId(chain.processInstanceId())
                        .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
                        .singleResult();
            if (task == null) {
              throw new ConflictException("The request is not waiting for a decision.");
            }
            SeparationOfDuties.Answer right =
                SeparationOfDuties.answer(
                    caller.username(),
                    caller.groups(),
                    delegations.delegatorsOf(caller.username()),
                    chain);
            if (!right.allowed()) {
              // audited in a transaction of its own: this one rolls back with the refusal
              events.refused(caller.username().value(), chain, right.refusal());
              throw new ApprovalRefusedException(right.refusal() + ".");
            }
            completing.set(task.getId());
            tasks.complete(task.getId(), decision);
            return null;
          });
    } catch (RuntimeException e) {
      String taskId = completing.get();
      if (RuleAnswer.in(e) || taskId == null) {
        throw e;
      }
      // another decision or a cancel, committed while this one ran, completed or removed the task:
      // the engine then fails in whatever step met the change first (a lost optimistic lock, a task
      // not found, its candidate groups gone, its execution gone: on H2 even a NullPointerException
      // of the engine's own); this decision was rolled back whole
      if (tasks.createTaskQuery().taskId(taskId).count() == 0) {
        throw new ConflictException(
            "The request was decided or ended while this decision was being made; nothing of it was done. "
                + "Read the request again to see where it stands.");
      }
      throw e;
    }
  }

  /**
   * A page of the approval tasks the caller may decide now, oldest first, and how many there are in
   * all. The page is the database's answer to the rules of {@link SeparationOfDuties}, never a page
   * of tasks filtered afterwards: another person's tasks, however many, cannot push the caller's
   * out of it.
   */
  public Page waitingFor(Caller caller, int page, int size) {
    List<SeparationOfDuties.Delegator> delegators = delegations.delegatorsOf(caller.username());
    if (caller.groups().isEmpty() && delegators.isEmpty()) {
      return new Page(List.of(), page, size, 0);
    }
    List<Waiting> items = new ArrayList<>();
    for (ChainRepository.DecidableTask task :
        chains.decidable(caller.username(), caller.groups(), delegators, page, size)) {
      if (task.reviewGroup() != null) {
        items.add(
            new Waiting(
                task.taskId(),
                task.taskName(),
                task.createdAt(),
                task.chain(),
                task.reviewGroup(),
                null));
        continue;
      }
      // the query's rules are SeparationOfDuties' own; a row the rule refuses would be a fault of
      // the query
      SeparationOfDuties.Answer right =
          SeparationOfDuties.answer(caller.username(), caller.groups(), delegators, task.chain());
      if (!right.allowed()) {
        log.error(
            "the approvals query offered task {} to {}, whom the rule refuses: {}",
            task.taskId(),
            caller.username(),
            right.refusal());
        continue;
      }
      items.add(
          new Waiting(
              task.taskId(),
              task.taskName(),
              task.createdAt(),
              task.chain(),
              null,
              right.onBehalfOf()));
    }
    return new Page(
        items, page, size, chains.countDecidable(caller.username(), caller.groups(), delegators));
  }

  /**
   * An approval task waiting for the caller, with its request's chain.
   *
   * @param reviewGroup a break-glass review: the caller's group it is offered to; null for an
   *     approval
   * @param onBehalfOf the delegator in whose place the caller decides it; null: in their own right
   */
  public record Waiting(
      String taskId,
      String taskName,
      Instant createdAt,
      Chain chain,
      String reviewGroup,
      Username onBehalfOf) {

    public boolean breakGlassReview() {
      return reviewGroup != null;
    }
  }

  /** A page of approval tasks, and how many the caller may decide in all. */
  public record Page(List<Waiting> items, int page, int size, long totalItems) {}
}
