package io.portcullis.request;

/** Where an access request stands. See DESIGN.md, "The public contract". */
public enum RequestStatus {
  /** Waiting for a decision, or approved and about to be granted. */
  PENDING,
  DENIED,
  CANCELLED,
  /** Nobody decided in time. */
  LAPSED,
  /** Granted; ends by expiry or revoke. Stays ACTIVE until the target confirms the revoke. */
  ACTIVE,
  EXPIRED,
  REVOKED,
  FAILED
}
