package io.portcullis.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How failed logins are slowed down ({@link LoginThrottle}) and their refusals audited ({@link
 * LoginRefusals}), under {@code portcullis.login}.
 *
 * @param nameBurst how many times a name may fail from one address at once; after that one more try
 *     each {@code nameRefill} from that address. A name that failed this often from anywhere is
 *     under attack: then an address that failed for it waits until its own failures are refilled
 * @param addressBurst how many failures an address may have at once, whatever names it tried; after
 *     that it is guessing, and waits for the names it failed for (never for a name that has not
 *     failed from there)
 * @param summaryPeriod throttled attempts, and failed ones beyond the address burst, are written to
 *     the audit trail as one summary per name and address each period: the most a crash can lose of
 *     them
 */
@Validated
@ConfigurationProperties("portcullis.login")
record LoginThrottleProperties(
    @NotNull @Min(1) Integer nameBurst,
    @NotNull Duration nameRefill,
    @NotNull @Min(1) Integer addressBurst,
    @NotNull Duration addressRefill,
    @NotNull Duration summaryPeriod) {

  static final Duration LONGEST_SUMMARY_PERIOD = Duration.ofHours(1);

  LoginThrottleProperties {
    nameBurst = nameBurst == null ? 5 : nameBurst;
    nameRefill = nameRefill == null ? Duration.ofMinutes(1) : nameRefill;
    addressBurst = addressBurst == null ? 20 : addressBurst;
    addressRefill = addressRefill == null ? Duration.ofSeconds(15) : addressRefill;
    summaryPeriod = summaryPeriod == null ? Duration.ofMinutes(1) : summaryPeriod;
    if (nameRefill.isNegative()
        || nameRefill.isZero()
        || addressRefill.isNegative()
        || addressRefill.isZero()) {
      throw new IllegalArgumentException("portcullis.login: refill periods must be positive");
    }
    if (summaryPeriod.compareTo(Duration.ofSeconds(1)) < 0
        || summaryPeriod.compareTo(LONGEST_SUMMARY_PERIOD) > 0) {
      throw new IllegalArgumentException(
          "portcullis.login.summary-period must be between PT1S and "
              + LONGEST_SUMMARY_PERIOD
              + " (a crash loses at most one period of refusals)");
    }
  }
}
