package io.portcullis.security;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/** Too many logins failed for this name or address: answered 429 with {@code Retry-After}. */
class LoginThrottledException extends AuthenticationException {

  private final Duration retryAfter;

  LoginThrottledException(Duration retryAfter) {
    super("too many failed logins");
    this.retryAfter = retryAfter;
  }

  /** Whole seconds, rounded up, as {@code Retry-After} wants them. */
  long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
