package io.portcullis.request;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * When a new request is flagged as unusual ({@link UnusualAccess}), under {@code
 * portcullis.requests.flags}.
 *
 * @param usualHoursHistory how many earlier requests a person needs before their usual hours count
 *     (5 unless set): with fewer, no request of theirs is outside their usual hours
 * @param zone the time zone whose hours of the day "usual hours" are (UTC unless set)
 * @param burstWindow how far back a burst is counted (PT1H unless set)
 * @param burstMax the most requests one person may make in {@code burstWindow} without a flag, this
 *     one counted (5 unless set): the next is a burst
 * @param nearMaximumPercent a duration at least this share of the resource's longest is near the
 *     maximum (90 unless set)
 */
@ConfigurationProperties("portcullis.requests.flags")
public record UnusualAccessSettings(
    Integer usualHoursHistory,
    ZoneId zone,
    Duration burstWindow,
    Integer burstMax,
    Integer nearMaximumPercent) {

  public UnusualAccessSettings {
    usualHoursHistory = usualHoursHistory == null ? 5 : usualHoursHistory;
    zone = zone == null ? ZoneId.of("UTC") : zone;
    burstWindow = burstWindow == null ? Duration.ofHours(1) : burstWindow;
    burstMax = burstMax == null ? 5 : burstMax;
    nearMaximumPercent = nearMaximumPercent == null ? 90 : nearMaximumPercent;
    if (usualHoursHistory < 1) {
      throw new IllegalArgumentException(
          "portcullis.requests.flags.usual-hours-history must be at least 1");
    }
    if (burstWindow.isNegative() || burstWindow.isZero()) {
      throw new IllegalArgumentException("portcullis.requests.flags.burst-window must be positive");
    }
    if (burstMax < 1) {
      throw new IllegalArgumentException("portcullis.requests.flags.burst-max must be at least 1");
    }
    if (nearMaximumPercent < 1 || nearMaximumPercent > 100) {
      throw new IllegalArgumentException(
          "portcullis.requests.flags.near-maximum-percent must be between 1 and 100");
    }
  }
}
