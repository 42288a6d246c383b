package io.portcullis.offboarding;

/** The names by which Java and {@code processes/offboarding.bpmn} refer to each other. */
final class OffboardingProcess {

  static final String KEY = "offboarding";

  static final String MESSAGE_CANCEL = "OffboardingCancelled";

  /**
   * Sent by Portcullis, with the stored ask that moved the effective time earlier, to a saga that
   * waits for it.
   */
  static final String MESSAGE_MOVED = "OffboardingMoved";

  /** Sent when the last active grant of the leaver has ended through its own process. */
  static final String MESSAGE_GRANTS_ENDED = "OffboardingGrantsEnded";

  static final String TASK_FIND_PERSON = "serviceTask_findPerson";
  static final String TASK_FREEZE = "serviceTask_freezeAccount";
  static final String TASK_DISCOVER = "serviceTask_discoverHoldings";
  static final String TASK_PLAN = "serviceTask_planRevokes";
  static final String TASK_END_GRANT = "serviceTask_endGrant";
  static final String TASK_REVOKE_STANDING = "serviceTask_revokeStanding";
  static final String TASK_CANCEL_REQUESTS = "serviceTask_cancelPendingRequests";
  static final String TASK_HAND_BACK = "serviceTask_handBackTasks";
  static final String TASK_VERIFY = "serviceTask_verifyNothingLeft";
  static final String TASK_RESOLVE = "userTask_resolveFindings";

  // where the saga's listeners and gateways ask for its offboarding (a refusal names the element)
  static final String START_ASKED = "startEvent_offboardingAsked";
  static final String GATEWAY_EFFECTIVE_LATER = "gateway_effectiveLater";
  static final String EVENT_MOVED = "messageEvent_effectiveTimeMoved";
  static final String TIMER_EFFECTIVE_TIME = "timerEvent_effectiveTimeReached";
  static final String END_CANCELLED = "endEvent_offboardingCancelled";
  static final String GATEWAY_PERSON_KNOWN = "gateway_personKnown";
  static final String GATEWAY_GRANTS_ENDING = "gateway_grantsEnding";
  static final String GATEWAY_ANYTHING_LEFT = "gateway_anythingLeft";
  static final String GATEWAY_RESOLUTION = "gateway_resolution";
  static final String END_CLOSED = "endEvent_closedByAdmin";

  /**
   * Elements of the versions of offboarding.bpmn from before issue 24 only, which sagas that
   * started on them still pass (a scheduled offboarding waits up to a year); kept in {@code
   * src/test/resources/deployments}.
   */
  static final class Before24 {

    static final String GATEWAY_ROUND = "gateway_round";
    static final String END_NO_SUCH_PERSON = "endEvent_noSuchPerson";

    private Before24() {}
  }

  // the element variables of the multi-instance steps; every step checks them against the stored
  // offboarding
  static final String SYSTEM = "system";
  static final String ITEM = "item";
  static final String BATCH = "batch";

  // what an admin submits on the task
  static final String RESOLUTION = "resolution";
  static final String COMMENT = "comment";

  private OffboardingProcess() {}
}
