package io.portcullis.review;

/** Where one holder's review stands. */
public enum Outcome {
  /** Waiting for the owners. */
  PENDING,
  /** An owner kept the holder's access. */
  KEEP,
  /** An owner removed it: revoked through the connector and read back. */
  REMOVE,
  /** Nobody decided by the deadline, and the resource says revoke-unreviewed: revoked. */
  UNREVIEWED_REVOKED,
  /** Nobody decided by the deadline, and the resource says keep: kept, the admins told. */
  UNREVIEWED_KEPT;

  /** Whether the holder's access is to be revoked. */
  boolean revokes() {
    return this == REMOVE || this == UNREVIEWED_REVOKED;
  }
}
