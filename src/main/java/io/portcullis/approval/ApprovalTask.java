package io.portcullis.approval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * When an approval task is created: names it for the approver ("Approve prod-db-readonly for alice
 * (PT30M of PT1H asked), stage 2 of 2"; every resource of a bundle or a list, {@link AskedFor}),
 * offers it to the current stage's approver group (and its escalation group once the stage is
 * escalated), and writes into task-local form variables the stage, the decisions so far (a row
 * each) and what is granted if this approver approves (the shortest duration approved so far),
 * beside the duration asked. Everything comes from the stored chain, never from process variables:
 * the model names no candidate group of its own.
 */
@Component("approvalTask")
class ApprovalTask implements TaskListener {

  static final String STAGE = "stage";

  /** The engine's column for a task's name ({@code ACT_RU_TASK.NAME_}) holds 255 characters. */
  static final int MAX_NAME = 255;

  /**
   * The decisions so far, a row each ({@link FormRows}): at, stage, approver, decision, duration,
   * comment.
   */
  static final String DECISIONS_SO_FAR = "decisionsSoFar";

  /**
   * What is granted if this approver approves without a shorter time: the shortest approved so far,
   * or as asked.
   */
  static final String GRANTED_IF_APPROVED = "grantedIfApproved";

  private final ChainRepository chains;
  private final ApprovalEvents events;
  private final DelegatedTasks delegated;

  ApprovalTask(ChainRepository chains, ApprovalEvents events, DelegatedTasks delegated) {
    this.chains = chains;
    this.events = events;
    this.delegated = delegated;
  }

  @Override
  public void notify(DelegateTask task) {
    Chain chain = ApprovalGuard.boundChain(chains, events, task.getProcessInstanceId(), null);
    Stage stage =
        chain
            .current()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "request "
                            + chain.requestId()
                            + " waits for no stage, yet an approval task was created"));
    task.setName(name(chain, stage));
    List<String> groups = new ArrayList<>(List.of(stage.approverGroup()));
    if (stage.escalatedAt() != null && stage.escalationGroup() != null) {
      groups.add(stage.escalationGroup());
    }
    groups.forEach(task::addCandidateGroup);
    // shown to the delegates of the groups' members in Tasklist; who may decide is the guard's
    delegated.delegatesFor(chain, groups).forEach(task::addCandidateUser);
    // the form starts empty: the guard takes a decision's fields out of the instance, but an
    // instance that decided a stage before it did still holds them, and without these empty
    // task-local fields they would show, prefilled, to the next approver; where the instance holds
    // none, nothing is written (issue 31)
    for (String field :
        List.of(
            ApprovalProcess.DECISION,
            ApprovalProcess.DECISION_COMMENT,
            ApprovalProcess.APPROVED_DURATION)) {
      if (task.getExecution().hasVariable(field)) {
        task.setVariableLocal(field, null);
      }
    }
    task.setVariableLocal(STAGE, describe(chain, stage));
    decisionsSoFar(chain).showOn(task, DECISIONS_SO_FAR);
    task.setVariableLocal(GRANTED_IF_APPROVED, grantedIfApproved(chain));
  }

  /**
   * "Approve prod-db-readonly, prod-logs-readonly (bundle incident-responder) for alice (PT1H),
   * stage 1 of 2": every resource asked, cut to the engine's 255 characters of a task's name.
   */
  static String name(Chain chain, Stage stage) {
    String forWhom = " for " + chain.requester() + " (" + durations(chain) + ")";
    String ofStages =
        chain.stages().size() > 1
            ? ", stage " + stage.position() + " of " + chain.stages().size()
            : "";
    String verb = "Approve ";
    return verb
        + chain.asked().named(MAX_NAME - verb.length() - forWhom.length() - ofStages.length())
        + forWhom
        + ofStages;
  }

  /**
   * As asked, or, once an earlier approver allowed less, what is granted beside what was asked:
   * "PT30M of PT1H asked".
   */
  static String durations(Chain chain) {
    return chain.approvedDuration().equals(chain.duration())
        ? chain.duration().toString()
        : chain.approvedDuration() + " of " + chain.duration() + " asked";
  }

  static String grantedIfApproved(Chain chain) {
    return chain.approvedDuration().equals(chain.duration())
        ? chain.duration() + " (as asked)"
        : chain.approvedDuration() + " (approved so far; " + chain.duration() + " was asked)";
  }

  static String describe(Chain chain, Stage stage) {
    long approvals = chain.decisionsIn(stage).stream().filter(Decision::approves).count();
    return "Stage "
        + stage.position()
        + " of "
        + chain.stages().size()
        + ": "
        + stage.approverGroup()
        + " decides; "
        + stage.quorum()
        + (stage.quorum() == 1 ? " approval" : " distinct approvals")
        + " needed, "
        + approvals
        + " so far"
        + (stage.escalationGroup() == null
            ? ""
            : "; after " + stage.remindAfter() + " " + stage.escalationGroup() + " may decide too")
        + "; lapses "
        + stage.deadline()
        + " after the stage opened.";
  }

  /** A row per decision: the form shows them as a table, so no comment can pass for a decision. */
  static FormRows decisionsSoFar(Chain chain) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Decision d : chain.decisions()) {
      rows.add(
          FormRows.row(
              "at",
              d.at().toString(),
              "stage",
              String.valueOf(d.stage()),
              "approver",
              d.onBehalfOf() == null
                  ? d.approver().value()
                  : d.approver() + " for " + d.onBehalfOf(),
              "decision",
              d.decision().name(),
              "duration",
              d.duration() == null ? "as asked" : d.duration().toString(),
              "comment",
              d.comment()));
    }
    return new FormRows(rows);
  }
}
