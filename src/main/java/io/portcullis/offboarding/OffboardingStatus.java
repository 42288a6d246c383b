package io.portcullis.offboarding;

/** Where an offboarding is: docs/architecture.md, "How an offboarding flows". */
public enum OffboardingStatus {
  /** Waiting for its effective time; it can still be cancelled. */
  SCHEDULED,
  /** The saga runs: freeze, discover, revoke, tidy up, verify. */
  IN_PROGRESS,
  /** Nothing the person held is left, or there was no such person; the report says which. */
  COMPLETED,
  /** Verification found something left; an admin's task decides to retry or close it. */
  NEEDS_ATTENTION,
  /** Cancelled before its effective time; nothing was done. */
  CANCELLED;

  /** Whether the offboarding still runs or waits: a person has at most one such. */
  public boolean open() {
    return this == SCHEDULED || this == IN_PROGRESS || this == NEEDS_ATTENTION;
  }
}
