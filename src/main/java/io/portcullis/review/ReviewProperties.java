package io.portcullis.review;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The access reviews' settings, under {@code portcullis.reviews}.
 *
 * @param reminderBefore how long before a campaign's deadline its owners are reminded (default 3
 *     days; a campaign shorter than that reminds them at once)
 * @param checkEvery how often the schedule looks for resources whose review is due (default a day)
 */
@Validated
@ConfigurationProperties("portcullis.reviews")
public record ReviewProperties(Duration reminderBefore, Duration checkEvery) {

  public ReviewProperties {
    reminderBefore = reminderBefore == null ? Duration.ofDays(3) : reminderBefore;
    checkEvery = checkEvery == null ? Duration.ofDays(1) : checkEvery;
    if (reminderBefore.isNegative()) {
      throw new IllegalArgumentException(
          "portcullis.reviews.reminder-before must not be negative: " + reminderBefore);
    }
    if (checkEvery.isNegative() || checkEvery.isZero()) {
      throw new IllegalArgumentException(
          "portcullis.reviews.check-every must be positive: " + checkEvery);
    }
  }
}
