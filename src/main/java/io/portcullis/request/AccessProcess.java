package io.portcullis.request;

/** The names by which Java and {@code processes/jit-access.bpmn} refer to each other. */
public final class AccessProcess {

  public static final String KEY = "jit-access";
  /** {@code processes/access-revocation.bpmn}: the revoke owed when an operator deletes an instance. */
  public static final String REVOCATION_KEY = "access-revocation";

  public static final String MESSAGE_CANCEL = "AccessRequestCancelled";
  public static final String MESSAGE_REVOKE = "AccessRevokeRequested";
  /** Thrown by the grant step for a requester whom an offboarding froze: the request ends CANCELLED. */
  public static final String ERROR_REQUESTER_LEFT = "RequesterLeft";

  public static final String TASK_CHECK_STANDING = "serviceTask_checkStandingAccess";
  public static final String TASK_GRANT = "serviceTask_grantAccess";
  public static final String TASK_REVOKE = "serviceTask_revokeAccess";

  // start variables
  public static final String RESOURCE = "resource";
  public static final String DURATION = "duration";
  public static final String JUSTIFICATION = "justification";
  public static final String TICKET = "ticket";

  // what the approval form shows of the request, task-local (ApproverBriefing)
  public static final String REQUESTER = "requester";
  public static final String RESOURCE_NAME = "resourceName";
  public static final String HISTORY = "history";
  public static final String EARLIER_REQUESTS = "earlierRequests";

  // the grant: when the expiry timer fires
  public static final String EXPIRES_AT = "expiresAt";

  private AccessProcess() {}
}
