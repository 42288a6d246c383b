package io.portcullis.request;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bounds on access requests, under {@code portcullis.requests}.
 *
 * @param approvalTimeout how long an approval task waits for a decision before the request lapses
 * @param justificationMaxLength the longest justification accepted, in characters
 */
@ConfigurationProperties("portcullis.requests")
public record RequestSettings(Duration approvalTimeout, Integer justificationMaxLength) {

  public RequestSettings {
    approvalTimeout = approvalTimeout == null ? Duration.ofHours(24) : approvalTimeout;
    justificationMaxLength = justificationMaxLength == null ? 1000 : justificationMaxLength;
    if (approvalTimeout.isNegative() || approvalTimeout.isZero()) {
      throw new IllegalArgumentException("portcullis.requests.approval-timeout must be positive");
    }
  }
}
