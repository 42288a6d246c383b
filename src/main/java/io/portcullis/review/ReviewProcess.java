package io.portcullis.review;

/**
 * The names that Java writes for {@code processes/access-review.bpmn} and {@code
 * processes/access-review-schedule.bpmn} (docs/architecture.md, rule 16).
 */
public final class ReviewProcess {

  public static final String KEY = "access-review";
  public static final String SCHEDULE_KEY = "access-review-schedule";

  public static final String START_REVIEWS_DUE = "startEvent_reviewsDue";
  public static final String TASK_START_DUE_REVIEWS = "serviceTask_startDueReviews";

  public static final String TASK_LIST_HOLDERS = "serviceTask_listHolders";
  public static final String SUBPROCESS_REVIEW_HOLDERS = "subProcess_reviewHolders";
  public static final String TASK_REVIEW_HOLDER = "userTask_reviewHolder";
  public static final String TIMER_REMINDER_DUE = "boundaryEvent_reminderDue";
  public static final String TASK_REMIND_OWNERS = "serviceTask_remindOwners";
  public static final String TIMER_REVIEW_DEADLINE = "boundaryEvent_reviewDeadline";
  public static final String TASK_RECORD_UNREVIEWED = "serviceTask_recordUnreviewed";
  public static final String TASK_REVOKE_HOLDER = "serviceTask_revokeHolder";
  public static final String TASK_ESCALATE_UNREVIEWED = "serviceTask_escalateUnreviewed";
  public static final String TASK_FOLLOW_UP_UNREVIEWED = "userTask_followUpUnreviewed";
  public static final String TASK_CLOSE_REVIEW = "serviceTask_closeReview";

  /** The multi-instance's element: the number of the item one instance reviews. */
  public static final String ITEM = "item";

  /** What a reviewer submits: {@code keep} or {@code remove}. */
  public static final String DECISION = "reviewDecision";

  /** What a reviewer may add to the decision. */
  public static final String COMMENT = "reviewComment";

  /** Set by the guard or the deadline for the gateways: whether the holder is to be revoked. */
  public static final String REMOVE_HOLDER = "removeHolder";

  private ReviewProcess() {}
}
