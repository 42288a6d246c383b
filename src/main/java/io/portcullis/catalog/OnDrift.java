package io.portcullis.catalog;

import org.springframework.modulith.NamedInterface;

/**
 * What the drift sweep does with a holder of a resource that nothing sanctions, as the catalog's
 * {@code on-drift} says.
 */
@NamedInterface("resources")
public enum OnDrift {
  /** An admin task in Tasklist and a notification; the access stays until someone acts. */
  REPORT,
  /** Revoked through the connector and read back, unless a live grant appeared meanwhile. */
  REMOVE
}
