package io.portcullis.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.modulith.NamedInterface;

/**
 * The audit trail's settings, under {@code portcullis.audit}. The three keys have no default on
 * purpose: {@link AuditKeys} refuses to start without them, naming the property that is missing.
 *
 * @param hmacKey base64 of at least 32 random bytes; the MAC key of every event (never logged)
 * @param signingKey base64 of an Ed25519 private key in PKCS#8; signs checkpoints (never logged)
 * @param publicKey base64 of the matching public key as X.509 SubjectPublicKeyInfo; verifies them
 * @param checkpointEvery how many events may follow each other without a signed checkpoint; may be
 *     raised on an existing trail, not lowered (older stretches would then look unsigned)
 * @param retention how long events are kept; null (the default) keeps them forever. Pruning cuts
 *     the trail only just after a signed checkpoint, which stays as the anchor ({@link
 *     AuditRetention})
 * @param sealer how committed events are chained ({@link AuditSealer})
 */
@NamedInterface("settings")
@ConfigurationProperties("portcullis.audit")
public record AuditProperties(
    String hmacKey,
    String signingKey,
    String publicKey,
    Integer checkpointEvery,
    Duration retention,
    Sealer sealer) {

  public AuditProperties {
    checkpointEvery = checkpointEvery == null ? 1000 : checkpointEvery;
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("portcullis.audit.checkpoint-every must be at least 1");
    }
    if (retention != null && (retention.isNegative() || retention.isZero())) {
      throw new IllegalArgumentException(
          "portcullis.audit.retention must be positive, or left out to keep events forever");
    }
    sealer = sealer == null ? new Sealer(null, null, null) : sealer;
  }

  /**
   * The sealer, under {@code portcullis.audit.sealer}.
   *
   * @param enabled whether this node runs the sealer's loop (default true). Every node may: one
   *     seals at a time, by the lock on the trail's head row. Off only where something else seals
   *     (tests do it by hand)
   * @param interval the pause between two rounds (default 100 ms): with the time a round takes, the
   *     bound on how long a committed event waits for its seq and for its SIEM line
   * @param batchSize how many events one sealing transaction chains at most (default 500), so that
   *     the head row is never locked for long
   */
  public record Sealer(Boolean enabled, Duration interval, Integer batchSize) {

    public Sealer {
      enabled = enabled == null || enabled;
      interval = interval == null ? Duration.ofMillis(100) : interval;
      if (interval.isNegative()
          || interval.isZero()
          || interval.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "portcullis.audit.sealer.interval must be positive and at most PT1M");
      }
      batchSize = batchSize == null ? 500 : batchSize;
      if (batchSize < 1) {
        throw new IllegalArgumentException("portcullis.audit.sealer.batch-size must be at least 1");
      }
    }
  }

  /**
   * Keys are secrets: a record's generated toString would print them into any log that prints this.
   */
  @Override
  public String toString() {
    return "AuditProperties[checkpointEvery="
        + checkpointEvery
        + ", retention="
        + (retention == null ? "forever" : retention)
        + ", sealer="
        + sealer
        + "]";
  }
}
