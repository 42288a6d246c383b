package io.portcullis.security;

import io.github.bucket4j.TimeMeter;
import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The login of a system client that presents a bearer token instead of a name and password (the
 * identity provider at the SCIM door). Like {@link DirectoryLogin}: a refused token is audited (never the
 * token itself) and slows further tries from its address, before any token is checked; unlike it, there
 * is no name to count, so nobody can shut the real client out by failing in its name. A door with no
 * token configured refuses every token, the same way: closed unless opened.
 */
@Component
public class TokenLogin {

  private final AuditTrail trail;
  private final LoginThrottle throttle;

  @Autowired
  TokenLogin(@Lazy AuditTrail trail, LoginThrottleProperties throttle) {
    this(trail, new LoginThrottle(throttle, TimeMeter.SYSTEM_NANOTIME));
  }

  TokenLogin(AuditTrail trail, LoginThrottle throttle) {
    this.trail = trail;
    this.throttle = throttle;
  }

  /**
   * @param presented the token as sent, or null when the request sent some other credential
   * @param expected the door's token, or null when none is configured
   * @param door where the token came in ({@code scim}), for the audit record
   * @param address the client's address, which the throttle counts
   * @return whether the token is the door's; false is audited and counted
   * @throws Throttled when too many tokens failed from this address lately
   */
  public boolean login(String presented, TokenHash expected, String door, String address) {
    Optional<Duration> wait = throttle.waitBeforeFrom(address);
    if (wait.isPresent()) {
      audit(AuditAction.LOGIN_THROTTLED, door, address);
      throw new Throttled(wait.get());
    }
    if (expected != null && expected.matches(presented)) {
      return true;
    }
    throttle.failedFrom(address);
    audit(AuditAction.LOGIN_FAILED, door, address);
    return false;
  }

  private void audit(String action, String door, String address) {
    trail.recordOnItsOwn(AuditEvent.Draft.by(DirectoryLogin.ANONYMOUS, action)
        .detail("door", door)
        .detail("credential", "bearer token")
        .detail("address", address));
  }

  /** Too many tokens failed from this address: answered 429 with {@code Retry-After}. */
  public static final class Throttled extends RuntimeException {

    private final Duration retryAfter;

    Throttled(Duration retryAfter) {
      super("too many failed tokens from this address", null, false, false);
      this.retryAfter = retryAfter;
    }

    /** Whole seconds, rounded up, as {@code Retry-After} wants them. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
  }
}
