package io.portcullis.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shortest access anyone may ask for, {@code portcullis.requests.min-duration} (one minute
 * unless set); each resource sets its own longest. Kept with the catalog, since a resource's
 * durations are checked against both.
 */
@ConfigurationProperties("portcullis.requests")
public record DurationLimits(Duration minDuration) {

  public DurationLimits {
    minDuration = minDuration == null ? Duration.ofMinutes(1) : minDuration;
    if (minDuration.isNegative() || minDuration.isZero()) {
      throw new IllegalArgumentException("portcullis.requests.min-duration must be positive");
    }
  }
}
