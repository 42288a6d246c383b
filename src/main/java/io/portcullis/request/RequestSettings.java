package io.portcullis.request;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bounds on access requests, under {@code portcullis.requests}.
 *
 * @param minDuration the shortest access anyone may ask for
 * @param approvalTimeout how long an approval task waits for a decision before the request lapses
 * @param justificationMaxLength the longest justification accepted, in characters
 */
@ConfigurationProperties("portcullis.requests")
public record RequestSettings(Duration minDuration, Duration approvalTimeout, Integer justificationMaxLength) {

  public RequestSettings {
    minDuration = minDuration == null ? Duration.ofMinutes(1) : minDuration;
    approvalTimeout = approvalTimeout == null ? Duration.ofHours(24) : approvalTimeout;
    justificationMaxLength = justificationMaxLength == null ? 1000 : justificationMaxLength;
    if (minDuration.isNegative() || minDuration.isZero()) {
      throw new IllegalArgumentException("portcullis.requests.min-duration must be positive");
    }
    if (approvalTimeout.isNegative() || approvalTimeout.isZero()) {
      throw new IllegalArgumentException("portcullis.requests.approval-timeout must be positive");
    }
  }
}
