package io.portcullis.offboarding;

import java.time.Instant;

/**
 * One offboarding, as Portcullis stored it.
 *
 * @param username the person as asked; once the saga found them, the directory's own name for them
 * @param reference the caller's key of the ask ({@code hrReference}, or the SCIM request's)
 * @param effectiveAt when it runs; the moment it was asked for when it runs now
 * @param outcome how it ended, in words ("no such person", an admin's closing comment), or null
 */
public record Offboarding(String id, String username, String reference, String reason, Instant effectiveAt,
    OffboardingStatus status, String requestedBy, Instant requestedAt, Instant startedAt, Instant endedAt, String outcome) {

  /** An offboarding's id: what Portcullis makes (a UUID), in URLs and in the audit trail. */
  public static final String ID_PATTERN = "[0-9a-f-]{36}";
}
