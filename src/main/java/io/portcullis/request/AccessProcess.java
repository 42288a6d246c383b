package io.portcullis.request;

/** The names by which Java and {@code processes/jit-access.bpmn} refer to each other. */
public final class AccessProcess {

  public static final String KEY = "jit-access";
  /** {@code processes/access-revocation.bpmn}: the revoke owed when an operator deletes an instance. */
  public static final String REVOCATION_KEY = "access-revocation";

  public static final String MESSAGE_CANCEL = "AccessRequestCancelled";
  public static final String MESSAGE_REVOKE = "AccessRevokeRequested";

  public static final String TASK_APPROVE = "userTask_approveAccess";
  public static final String TASK_CHECK_STANDING = "serviceTask_checkStandingAccess";
  public static final String TASK_GRANT = "serviceTask_grantAccess";
  public static final String TASK_REVOKE = "serviceTask_revokeAccess";

  // start variables
  public static final String RESOURCE = "resource";
  public static final String DURATION = "duration";
  public static final String JUSTIFICATION = "justification";
  public static final String TICKET = "ticket";

  // set when the request opens
  public static final String REQUEST_ID = "requestId";
  public static final String REQUESTER = "requester";
  public static final String RESOURCE_NAME = "resourceName";
  public static final String APPROVER_GROUP = "approverGroup";
  public static final String APPROVAL_TIMEOUT = "approvalTimeout";

  // the approval form and the decision
  public static final String DECISION = "decision";
  public static final String DECISION_COMMENT = "decisionComment";
  public static final String APPROVED = "approved";

  // the grant and its end
  public static final String EXPIRES_AT = "expiresAt";
  public static final String OUTCOME = "outcome";
  public static final String ENDED_BY = "endedBy";
  public static final String END_REASON = "endReason";

  private AccessProcess() {}
}
