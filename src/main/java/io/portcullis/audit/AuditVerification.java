package io.portcullis.audit;

import java.time.Instant;

/**
 * What {@link AuditVerifier} found: valid, or the first sequence number (or, before sealing, the
 * first entry) at which the trail is not what was written, and why.
 *
 * @param valid whether every event, entry and checkpoint checked out
 * @param eventsChecked how many sealed events were verified (up to the first bad one)
 * @param checkpointsChecked how many signed checkpoints were verified on the way
 * @param firstBadSeq the lowest sequence number found at fault; null when valid or when the fault
 *     is in an entry not sealed yet
 * @param reason what is wrong there; null when valid
 * @param lastSeq the last sequence number verified
 * @param lastHash its hash: note it, and a later verification proves nothing before it changed
 * @param eventsPending how many committed events are not sealed yet (each checked by its entry
 *     MAC): not a fault, they get their seq within the sealer's delay
 * @param oldestPendingAt the time of the oldest of them; null when none is pending. Much older than
 *     the sealer's interval means that no sealer runs
 * @param firstBadEntry the entry id of the first unsealed row whose entry MAC is wrong (written or
 *     changed without the key); null when there is none
 */
public record AuditVerification(
    boolean valid,
    long eventsChecked,
    long checkpointsChecked,
    Long firstBadSeq,
    String reason,
    long lastSeq,
    String lastHash,
    long eventsPending,
    Instant oldestPendingAt,
    Long firstBadEntry) {}
