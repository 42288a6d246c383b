package io.portcullis.request;

/** The names by which Java and {@code processes/jit-access.bpmn} refer to each other. */
public final class AccessProcess {

  public static final String KEY = "jit-access";

  /**
   * {@code processes/access-revocation.bpmn}: the revoke owed when an operator deletes an instance.
   */
  public static final String REVOCATION_KEY = "access-revocation";

  public static final String MESSAGE_CANCEL = "AccessRequestCancelled";
  public static final String MESSAGE_REVOKE = "AccessRevokeRequested";

  /**
   * Thrown before the grant for a requester whom an offboarding froze: the request ends CANCELLED
   * before the access clock started, and through the revoke after it.
   */
  public static final String ERROR_REQUESTER_LEFT = "RequesterLeft";

  /**
   * Thrown by the grant of a request for several resources when one of them fails on its last
   * attempt (issue 29): every resource is revoked and the request ends FAILED naming that one.
   */
  public static final String ERROR_GRANT_FAILED = "GrantFailed";

  /** The start variable naming several resources, comma-separated ({@code "a,b"}), at most 10. */
  public static final String RESOURCES = "resources";

  /** The start variable naming a bundle of the catalog. */
  public static final String BUNDLE = "bundle";

  /**
   * Thrown at a scheduled start when the requester may no longer have the access (offboarded,
   * disabled, the catalog changed): the request ends CANCELLED with the reason, and nothing is
   * granted.
   */
  public static final String ERROR_START_REFUSED = "StartRefused";

  /** A scheduled request waits here, SCHEDULED, until its start ({@link #SCHEDULED_START}). */
  public static final String TIMER_SCHEDULED_START = "timerEvent_scheduledStart";

  /** At a scheduled start the requester is checked again before anything is granted. */
  public static final String TASK_CHECK_AT_START = "serviceTask_checkAtStart";

  public static final String TASK_CHECK_STANDING = "serviceTask_checkStandingAccess";

  /**
   * The grant's clock starts, committed before its first attempt: from here every way out runs the
   * revoke.
   */
  public static final String TASK_START_CLOCK = "serviceTask_startAccessClock";

  /**
   * Wraps the grant's attempts: its boundary events are the ways out while the grant is not
   * confirmed.
   */
  public static final String SUBPROCESS_GRANT = "subProcess_grantAccess";

  public static final String TASK_GRANT = "serviceTask_grantAccess";
  public static final String TASK_REVOKE = "serviceTask_revokeAccess";

  // start variables
  public static final String RESOURCE = "resource";
  public static final String DURATION = "duration";
  public static final String JUSTIFICATION = "justification";
  public static final String TICKET = "ticket";

  /** When to grant: an ISO-8601 date and time, optional ({@link ScheduledStarts}). */
  public static final String STARTS_AT = "startAt";

  /**
   * The request whose live grant this one extends (issue 29): an extension runs the approval part,
   * then moves that grant's end ({@link #TASK_EXTEND_GRANT}) instead of granting.
   */
  public static final String EXTENDS = "extends";

  /**
   * Break-glass (issue 29): {@code true} to take the access at once, with no approval, where a rule
   * of the policy allows it ({@link BreakGlass}); reviewed after the fact ({@link
   * BreakGlassReview}).
   */
  public static final String BREAK_GLASS = "breakGlass";

  /** Routes an extension after its approval: the id it extends, null for a request of access. */
  public static final String EXTENDS_REQUEST = "extendsRequest";

  /** Moves the extended grant's end, or ends the extension LAPSED when that grant has ended. */
  public static final String TASK_EXTEND_GRANT = "serviceTask_extendGrant";

  // what the approval form shows of the request, task-local (ApproverBriefing)
  public static final String REQUESTER = "requester";
  public static final String RESOURCE_NAME = "resourceName";
  public static final String HISTORY = "history";
  public static final String EARLIER_REQUESTS = "earlierRequests";

  /** The request's unusual-access flags, rows of flag and reason ({@link UnusualAccess}). */
  public static final String FLAGS = "flags";

  // when the expiry timers fire (the grant's attempts, then the access): set when the access clock
  // starts
  public static final String EXPIRES_AT = "expiresAt";

  /**
   * When the timer of a scheduled request fires: the stored start, set when the request opens; null
   * for a request that starts on approval.
   */
  public static final String SCHEDULED_START = "scheduledStart";

  private AccessProcess() {}
}
