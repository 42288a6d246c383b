package io.portcullis.audit;

import java.time.Instant;

/** An Ed25519 signature, base64, over the chain's hash at {@code seq}; see {@link AuditChain}. */
public record AuditCheckpoint(
    long seq, String hash, Instant signedAt, String keyId, String signature) {}
