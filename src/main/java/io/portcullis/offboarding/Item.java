package io.portcullis.offboarding;

import io.portcullis.kernel.OffboardingId;
import java.time.Instant;

/**
 * One thing the saga found and dealt with, in one system: the evidence of an offboarding, row by
 * row.
 *
 * @param round the round of discovery that found it (1; one more for each admin's retry)
 * @param target what it is called where it is: for a grant or a standing membership, the
 *     connector's {@code Target} (a group's DN, for example); the username for an account; the
 *     resource for a pending request; the name of a task
 * @param requestId the just-in-time request it is, for a {@link Kind#GRANT} or {@link
 *     Kind#PENDING_REQUEST}; the task's id for a {@link Kind#TASK}
 * @param doneAt when it was disabled, revoked, or ended through its request; null while it is not
 * @param stillThere what verification read back: null before verification
 */
record Item(
    long id,
    OffboardingId offboardingId,
    int round,
    Kind kind,
    String system,
    String target,
    String requestId,
    Instant foundAt,
    Instant doneAt,
    String doneHow,
    Instant verifiedAt,
    Boolean stillThere) {

  enum Kind {
    /** The person's account in a system that can disable it. */
    ACCOUNT,
    /** An active just-in-time grant, ended through its own process. */
    GRANT,
    /** A membership that no request of Portcullis gave (someone added it by hand). */
    STANDING,
    /**
     * A request of the leaver that was not granted yet, cancelled (system {@code portcullis},
     * target its resource).
     */
    PENDING_REQUEST,
    /**
     * An approval task the leaver had claimed, handed back to its groups (system {@code
     * portcullis}).
     */
    TASK,
    /**
     * A delegation the leaver gave or received, ended (system {@code portcullis}, target "delegator
     * to delegate", the delegation's id where a request's goes).
     */
    DELEGATION
  }

  /** The system of what Portcullis itself holds for the leaver: requests and tasks. */
  static final String PORTCULLIS = "portcullis";

  /** The same, with what was (or could not be) done, recorded as it was found. */
  Item withHow(String how) {
    return new Item(
        id,
        offboardingId,
        round,
        kind,
        system,
        target,
        requestId,
        foundAt,
        doneAt,
        how,
        verifiedAt,
        stillThere);
  }

  static Item found(
      OffboardingId offboardingId,
      int round,
      Kind kind,
      String system,
      String target,
      String requestId,
      Instant at) {
    return new Item(
        0, offboardingId, round, kind, system, target, requestId, at, null, null, null, null);
  }
}
