package io.portcullis.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How failed logins are slowed down, under {@code portcullis.login}: a name, and an address, may fail
 * {@code burst} times at once; after that, one more attempt is allowed each {@code refill}, so a real
 * person is slowed while the guessing goes on, never locked out for good.
 */
@Validated
@ConfigurationProperties("portcullis.login")
record LoginThrottleProperties(
    @NotNull @Min(1) Integer nameBurst,
    @NotNull Duration nameRefill,
    @NotNull @Min(1) Integer addressBurst,
    @NotNull Duration addressRefill) {

  LoginThrottleProperties {
    nameBurst = nameBurst == null ? 5 : nameBurst;
    nameRefill = nameRefill == null ? Duration.ofMinutes(1) : nameRefill;
    addressBurst = addressBurst == null ? 20 : addressBurst;
    addressRefill = addressRefill == null ? Duration.ofSeconds(15) : addressRefill;
    if (nameRefill.isNegative() || nameRefill.isZero() || addressRefill.isNegative() || addressRefill.isZero()) {
      throw new IllegalArgumentException("portcullis.login: refill periods must be positive");
    }
  }
}
