package io.portcullis.drift;

/** What a sweep did about one holder nothing sanctioned when the listing was read. */
enum FindingAction {
  /** {@code on-drift: report}: the finding is an admin's task in Tasklist and a notification. */
  REPORTED("reported"),
  /** {@code on-drift: remove}: revoked and read back as gone. */
  REMOVED("removed"),
  /** Asked again before the removal, a live grant or the standing list sanctioned the holder. */
  KEPT_BECAUSE_GRANTED("kept-because-granted"),
  /** The revoke or its read-back failed on the last attempt; the next sweep finds it again. */
  REMOVAL_FAILED("removal-failed");

  private final String label;

  FindingAction(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
