package io.portcullis.drift;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The drift sweep's settings, under {@code portcullis.drift}.
 *
 * @param interval how often the sweep runs (default 15 minutes)
 */
@Validated
@ConfigurationProperties("portcullis.drift")
public record DriftProperties(Duration interval) {

  public DriftProperties {
    interval = interval == null ? Duration.ofMinutes(15) : interval;
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("portcullis.drift.interval must be positive: " + interval);
    }
  }
}
