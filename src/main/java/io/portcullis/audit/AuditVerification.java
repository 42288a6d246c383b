package io.portcullis.audit;

/**
 * What {@link AuditVerifier} found: valid, or the first sequence number at which the trail is not what
 * was written, and why.
 *
 * @param valid whether every event and checkpoint checked out
 * @param eventsChecked how many events were verified (up to the first bad one)
 * @param checkpointsChecked how many signed checkpoints were verified on the way
 * @param firstBadSeq the lowest sequence number found at fault; null when valid
 * @param reason what is wrong there; null when valid
 * @param lastSeq the last sequence number verified
 * @param lastHash its hash: note it, and a later verification proves nothing before it changed
 */
public record AuditVerification(boolean valid, long eventsChecked, long checkpointsChecked, Long firstBadSeq, String reason,
    long lastSeq, String lastHash) {}
