package io.portcullis.request;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Break-glass, under {@code portcullis.requests} beside the other bounds on requests.
 *
 * @param breakGlassReviewWithin how long the first group of the skipped chain has to review a
 *     break-glass (PT24H unless set); after that the admins are told and may review it too
 */
@ConfigurationProperties("portcullis.requests")
public record BreakGlassSettings(Duration breakGlassReviewWithin) {

  public BreakGlassSettings {
    breakGlassReviewWithin =
        breakGlassReviewWithin == null ? Duration.ofHours(24) : breakGlassReviewWithin;
    if (breakGlassReviewWithin.isNegative() || breakGlassReviewWithin.isZero()) {
      throw new IllegalArgumentException(
          "portcullis.requests.break-glass-review-within must be a positive duration, such as PT24H");
    }
  }
}
