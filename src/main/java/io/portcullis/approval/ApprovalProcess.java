package io.portcullis.approval;

import org.springframework.modulith.NamedInterface;

/**
 * The names by which approval's Java and the approval stages in {@code processes/jit-access.bpmn}
 * refer to each other.
 */
@NamedInterface("chains")
public final class ApprovalProcess {

  public static final String SUBPROCESS_STAGES = "subProcess_approvalStages";
  public static final String SUBPROCESS_DECIDE_STAGE = "subProcess_decideStage";
  public static final String TASK_APPROVE = "userTask_approveAccess";

  /**
   * The review after the fact of a break-glass (request's processes/break-glass-review.bpmn):
   * listed with the approvals a person may decide.
   */
  public static final String TASK_REVIEW_BREAK_GLASS = "userTask_reviewBreakGlass";

  public static final String TASK_ESCALATE = "serviceTask_escalateStage";
  public static final String TIMER_REMINDER = "boundaryEvent_reminderDue";
  public static final String TIMER_DEADLINE = "boundaryEvent_stageDeadline";

  // set when the request opens: whether and how many stages run
  public static final String APPROVAL_NEEDED = "approvalNeeded";
  public static final String STAGE_COUNT = "stageCount";
  // set when a stage opens, local to it: its timers
  public static final String REMIND_AFTER = "remindAfter";
  public static final String DEADLINE = "deadline";
  // set by the guard after each decision, for the gateway "Stage decided?"
  public static final String STAGE_OUTCOME = "stageOutcome";

  // what a completion of the approval task may carry
  public static final String DECISION = "decision";
  public static final String DECISION_COMMENT = "decisionComment";
  public static final String APPROVED_DURATION = "approvedDuration";

  private ApprovalProcess() {}
}
