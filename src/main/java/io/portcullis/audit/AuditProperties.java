package io.portcullis.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit trail's settings, under {@code portcullis.audit}. The three keys have no default on
 * purpose: {@link AuditKeys} refuses to start without them, naming the property that is missing.
 *
 * @param hmacKey base64 of at least 32 random bytes; the MAC key of every event (never logged)
 * @param signingKey base64 of an Ed25519 private key in PKCS#8; signs checkpoints (never logged)
 * @param publicKey base64 of the matching public key as X.509 SubjectPublicKeyInfo; verifies them
 * @param checkpointEvery how many events may follow each other without a signed checkpoint; may be
 *     raised on an existing trail, not lowered (older stretches would then look unsigned)
 * @param retention how long events are kept; null (the default) keeps them forever. Pruning cuts the trail
 *     only just after a signed checkpoint, which stays as the anchor ({@link AuditRetention})
 */
@ConfigurationProperties("portcullis.audit")
public record AuditProperties(String hmacKey, String signingKey, String publicKey, Integer checkpointEvery, Duration retention) {

  public AuditProperties {
    checkpointEvery = checkpointEvery == null ? 1000 : checkpointEvery;
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("portcullis.audit.checkpoint-every must be at least 1");
    }
    if (retention != null && (retention.isNegative() || retention.isZero())) {
      throw new IllegalArgumentException("portcullis.audit.retention must be positive, or left out to keep events forever");
    }
  }

  /** Keys are secrets: a record's generated toString would print them into any log that prints this. */
  @Override
  public String toString() {
    return "AuditProperties[checkpointEvery=" + checkpointEvery + ", retention=" + (retention == null ? "forever" : retention) + "]";
  }
}
