package io.portcullis.request;

import org.springframework.modulith.NamedInterface;

/** Where an access request stands: docs/architecture.md, "How a request flows". */
@NamedInterface({"leavers", "holders"})
public enum RequestStatus {
  /**
   * Waiting for a decision, or approved and about to be granted. With a grant attempt on record,
   * the target may hold the access already (the attempt's answer was lost): it ends only through a
   * revoke.
   */
  PENDING,
  /**
   * Approved, and waiting for its scheduled start ({@code startAt}); nothing reached the target. At
   * the start the requester is checked again: PENDING on the way to the grant, or CANCELLED with
   * the reason.
   */
  SCHEDULED,
  DENIED,
  /** Ended before any grant was attempted: nothing reached the target. */
  CANCELLED,
  /** Nobody decided in time. */
  LAPSED,
  /** Granted; ends by expiry or revoke. Stays ACTIVE until the target confirms the revoke. */
  ACTIVE,
  /**
   * The approved time, counted from the first grant attempt, ran out, and the target confirmed the
   * revoke.
   */
  EXPIRED,
  /**
   * Ended on request (revoke, cancel, an operator's deletion, offboarding) after the grant was
   * attempted, confirmed or not, and the target confirmed the revoke.
   */
  REVOKED,
  /**
   * The grant's steps ran out of retries: an incident waits in Cockpit; with a grant attempt on
   * record, the access may be held. A request for several resources whose grant of one ran out of
   * retries ends FAILED instead (its {@code endedAt} set, {@code failedResource} named), once every
   * resource was revoked and read back: all or none.
   */
  FAILED,
  /**
   * An extension, approved and applied: the grant it extends ({@code extends}) ends later, and the
   * extension holds no access of its own.
   */
  EXTENDED
}
