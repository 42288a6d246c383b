package io.portcullis.catalog;

import org.springframework.modulith.NamedInterface;

/**
 * What an access review does with a holder whose owner did not decide by the deadline, as the
 * catalog's {@code on-unreviewed} says.
 */
@NamedInterface("resources")
public enum OnUnreviewed {
  /**
   * Revoked through the connector and read back, as if the owner had removed them (the default).
   */
  REVOKE_UNREVIEWED,
  /** Kept; the admins are told and get a task to follow it up. */
  KEEP
}
