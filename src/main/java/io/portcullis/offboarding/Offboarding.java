package io.portcullis.offboarding;

import io.portcullis.kernel.OffboardingId;
import io.portcullis.kernel.Username;
import java.time.Instant;
import org.springframework.modulith.NamedInterface;

/**
 * One offboarding, as Portcullis stored it.
 *
 * @param username the person as asked; once the saga found them, the directory's own name for them
 * @param requestedBy who asked: an HR system, an admin, or the SCIM client, as the audit trail
 *     names them
 * @param reference the caller's key of the ask ({@code hrReference}, or the SCIM request's)
 * @param effectiveAt when it runs; the moment it was asked for when it runs now
 * @param outcome how it ended, in words ("no such person", an admin's closing comment), or null
 */
@NamedInterface("asks")
public record Offboarding(
    OffboardingId id,
    Username username,
    String reference,
    String reason,
    Instant effectiveAt,
    OffboardingStatus status,
    String requestedBy,
    Instant requestedAt,
    Instant startedAt,
    Instant endedAt,
    String outcome) {}
