package io.portcullis.approval;

import io.portcullis.catalog.Catalog;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.StepRefusedException;
import io.portcullis.kernel.Username;
import io.portcullis.security.SubmittedVariables;
import io.portcullis.web.FreeText;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * Runs when an approval task completes, whichever door the decision came through (Portcullis' REST
 * API, Tasklist, the engine's REST API): the decider must be authenticated and allowed to decide
 * the current stage ({@link SeparationOfDuties}), in their own right or in the place of a delegator
 * whose delegation is in force at this moment ({@link Delegations}); the completion may carry the
 * decision, its comment and a shorter duration, nothing else. The chain is the one bound to the
 * task's process instance when the request opened, never one named by a variable. The decision is
 * then recorded, and the stage's outcome set for the gateway "Stage decided?".
 */
@Component("approvalGuard")
public class ApprovalGuard implements TaskListener {

  /** All that a completion of the approval task may carry. */
  static final Set<String> DECISION_FIELDS =
      Set.of(
          ApprovalProcess.DECISION,
          ApprovalProcess.DECISION_COMMENT,
          ApprovalProcess.APPROVED_DURATION);

  private final ChainRepository chains;
  private final ApprovalEvents events;
  private final ApprovalNotices notices;
  private final Catalog catalog;
  private final Delegations delegations;

  ApprovalGuard(
      ChainRepository chains,
      ApprovalEvents events,
      ApprovalNotices notices,
      Catalog catalog,
      Delegations delegations) {
    this.delegations = delegations;
    this.notices = notices;
    this.chains = chains;
    this.events = events;
    this.catalog = catalog;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication decider =
        task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (decider == null || decider.getUserId() == null) {
      throw new ApprovalRefusedException("a decision must be made by an authenticated approver");
    }
    Chain chain = boundChain(chains, events, task.getProcessInstanceId(), decider.getUserId());
    // an engine user whose name no login could have is nobody's approver
    Username approver =
        Username.valid(decider.getUserId())
            .orElseThrow(
                () ->
                    refused(
                        decider, chain, "a decision must be made by an authenticated approver"));
    // the decision is what this completion carries, never a variable left by an earlier stage's
    // decision or set on the instance beforehand
    Map<String, Object> submitted =
        SubmittedVariables.ofCurrentCompletion()
            .orElseThrow(
                () ->
                    refused(decider, chain, "a decision is made by completing the approval task"));
    Set<String> extra = new TreeSet<>(submitted.keySet());
    extra.removeAll(DECISION_FIELDS);
    if (!extra.isEmpty()) {
      throw refused(
          decider,
          chain,
          "a decision carries only " + new TreeSet<>(DECISION_FIELDS) + ", not " + extra);
    }
    List<String> groups = decider.getGroupIds() == null ? List.of() : decider.getGroupIds();
    SeparationOfDuties.Answer right =
        SeparationOfDuties.answer(approver, groups, delegations.delegatorsOf(approver), chain);
    if (!right.allowed()) {
      throw refused(decider, chain, right.refusal());
    }
    Decision.Verdict verdict = verdict(submitted.get(ApprovalProcess.DECISION));
    String comment = comment(submitted.get(ApprovalProcess.DECISION_COMMENT));
    AccessDuration duration =
        verdict == Decision.Verdict.APPROVE
            ? shorter(chain, submitted.get(ApprovalProcess.APPROVED_DURATION))
            : null;

    Stage stage = chain.current().orElseThrow();
    Decision decision =
        new Decision(
            stage.position(),
            approver,
            verdict,
            comment,
            duration,
            ApprovalChains.now(),
            right.onBehalfOf());
    chains.addDecision(chain.requestId(), decision);
    Chain now = chains.find(chain.requestId()).orElseThrow();
    Chain.StageOutcome outcome = now.outcomeOf(stage);
    events.decided(now, decision, outcome);
    notices.decided(now, decision);
    // read by "Stage decided?" in this same transaction only: never stored (issue 31)
    task.getExecution()
        .setVariable(ApprovalProcess.STAGE_OUTCOME, Variables.stringValue(outcome.name(), true));
    // the decision is the chain's; its copy in the instance, which the completion left there and
    // nothing reads, is taken away before it is written (issue 31)
    for (String field : DECISION_FIELDS) {
      if (task.getExecution().hasVariable(field)) {
        task.getExecution().removeVariable(field);
      }
    }
  }

  /**
   * The chain of the request that opened this process instance; a stage step in any other instance
   * is refused and audited.
   */
  static Chain boundChain(
      ChainRepository chains, ApprovalEvents events, String processInstanceId, String actor) {
    return chains
        .findByProcessInstance(processInstanceId)
        .orElseGet(
            () -> {
              events.unbound(actor, processInstanceId, ApprovalProcess.TASK_APPROVE);
              throw new StepRefusedException(
                  "process instance "
                      + processInstanceId
                      + " did not open through Portcullis; its approval is refused");
            });
  }

  private ApprovalRefusedException refused(Authentication decider, Chain chain, String why) {
    events.refused(decider.getUserId(), chain, why);
    return new ApprovalRefusedException(why);
  }

  private static Decision.Verdict verdict(Object value) {
    String text = value == null ? "" : value.toString().trim().toUpperCase(Locale.ROOT);
    return switch (text) {
      case "APPROVE" -> Decision.Verdict.APPROVE;
      case "DENY" -> Decision.Verdict.DENY;
      default -> throw new InvalidInputException("decision", "must be 'approve' or 'deny'");
    };
  }

  private static String comment(Object value) {
    if (value != null && !(value instanceof String)) {
      throw new InvalidInputException("comment", "must be text");
    }
    return FreeText.optionalLine("comment", (String) value, Decision.MAX_COMMENT);
  }

  /**
   * A shorter duration than will be granted (the shortest approved so far, or as asked), within the
   * resource's bounds; null (as asked) when none is given. A longer one is refused rather than
   * taken and then cut to the shortest, so that an approver never approves other than what the form
   * showed.
   */
  private AccessDuration shorter(Chain chain, Object value) {
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    AccessDuration d = AccessDuration.from(value);
    AccessDuration granted = chain.approvedDuration();
    if (d.longerThan(granted)) {
      throw new InvalidInputException(
          "duration",
          granted.equals(chain.duration())
              ? "an approver may approve a shorter duration than asked ("
                  + chain.duration()
                  + "), never a longer one"
              : "an approver may approve a shorter duration than will be granted ("
                  + granted
                  + ", the shortest approved so far; "
                  + chain.duration()
                  + " was asked), never a longer one");
    }
    catalog.find(chain.resource()).ifPresent(r -> r.checkDuration(d));
    return d.equals(chain.duration()) ? null : d;
  }
}
