package io.portcullis.request;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Expiries revoked together ({@link ExpiriesTogether}), under {@code portcullis.jobs}.
 *
 * @param expiryBatchWindow how close two grants' ends must be for the first revoke to take both
 *     (PT2S unless set; PT0S turns batches off): a burst of expiries due at once costs one modify
 *     and one read-back per target instead of one each
 * @param expiryBatchMax the most grants one batch takes, the revoking one included (100 unless
 *     set): one modify with that many values, and one transaction holding that many rows
 */
@ConfigurationProperties("portcullis.jobs")
public record ExpiryBatchSettings(Duration expiryBatchWindow, Integer expiryBatchMax) {

  public ExpiryBatchSettings {
    expiryBatchWindow = expiryBatchWindow == null ? Duration.ofSeconds(2) : expiryBatchWindow;
    expiryBatchMax = expiryBatchMax == null ? 100 : expiryBatchMax;
    if (expiryBatchWindow.isNegative() || expiryBatchWindow.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "portcullis.jobs.expiry-batch-window must be between PT0S (off) and PT1M");
    }
    if (expiryBatchMax < 1 || expiryBatchMax > 1000) {
      throw new IllegalArgumentException(
          "portcullis.jobs.expiry-batch-max must be between 1 and 1000");
    }
  }

  boolean off() {
    return expiryBatchWindow.isZero() || expiryBatchMax == 1;
  }
}
