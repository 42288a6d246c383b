package io.portcullis.approval;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * When an approval task is created: names it for the approver ("Approve prod-db-readonly for alice
 * (PT1H), stage 2 of 2"), offers it to the current stage's approver group (and its escalation group once
 * the stage is escalated), and writes the stage and the decisions so far into task-local form
 * variables. Everything comes from the stored chain, never from process variables: the model names no
 * candidate group of its own.
 */
@Component("approvalTask")
class ApprovalTask implements TaskListener {

  static final String STAGE = "stage";
  static final String DECISIONS_SO_FAR = "decisionsSoFar";

  private final ChainRepository chains;
  private final ApprovalEvents events;

  ApprovalTask(ChainRepository chains, ApprovalEvents events) {
    this.chains = chains;
    this.events = events;
  }

  @Override
  public void notify(DelegateTask task) {
    Chain chain = ApprovalGuard.boundChain(chains, events, task.getProcessInstanceId(), null);
    Stage stage = chain.current().orElseThrow(() -> new IllegalStateException("request " + chain.requestId()
        + " waits for no stage, yet an approval task was created"));
    task.setName(name(chain, stage));
    task.addCandidateGroup(stage.approverGroup());
    if (stage.escalatedAt() != null && stage.escalationGroup() != null) {
      task.addCandidateGroup(stage.escalationGroup());
    }
    // the form starts empty, and what a completion submits stays with this task: without these task-local
    // fields an earlier stage's decision, comment and duration would show, prefilled, to the next approver
    for (String field : List.of(ApprovalProcess.DECISION, ApprovalProcess.DECISION_COMMENT, ApprovalProcess.APPROVED_DURATION)) {
      task.setVariableLocal(field, null);
    }
    task.setVariableLocal(STAGE, describe(chain, stage));
    task.setVariableLocal(DECISIONS_SO_FAR, decisionsSoFar(chain));
  }

  static String name(Chain chain, Stage stage) {
    String name = "Approve " + chain.resource() + " for " + chain.requester() + " (" + chain.duration() + ")";
    return chain.stages().size() > 1 ? name + ", stage " + stage.position() + " of " + chain.stages().size() : name;
  }

  static String describe(Chain chain, Stage stage) {
    long approvals = chain.decisionsIn(stage).stream().filter(Decision::approves).count();
    return "Stage " + stage.position() + " of " + chain.stages().size() + ": " + stage.approverGroup() + " decides; "
        + stage.quorum() + (stage.quorum() == 1 ? " approval" : " distinct approvals") + " needed, " + approvals + " so far"
        + (stage.escalationGroup() == null ? "" : "; after " + stage.remindAfter() + " " + stage.escalationGroup() + " may decide too")
        + "; lapses " + stage.deadline() + " after the stage opened.";
  }

  static String decisionsSoFar(Chain chain) {
    if (chain.decisions().isEmpty()) {
      return "No decision yet.";
    }
    List<String> lines = new ArrayList<>();
    for (Decision d : chain.decisions()) {
      lines.add(d.at() + "  stage " + d.stage() + "  " + d.approver() + "  " + d.decision()
          + (d.duration() == null ? "" : " for " + d.duration()) + (d.comment() == null ? "" : ": " + d.comment()));
    }
    return String.join("\n", lines);
  }
}
