package io.portcullis.security;

import io.github.bucket4j.TimeMeter;
import io.portcullis.security.LoginRefusals.Tried;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The login of a system client that presents a bearer token instead of a name and password: the
 * identity provider at the SCIM door, a service account at {@code /api}. The token is checked
 * first, in constant time, and a right one is never refused by the throttle: it proves itself, so
 * nobody can keep it out by failing, from anywhere. A wrong token is audited (never the token
 * itself, {@link LoginRefusals}) and counts against its address, which after {@code
 * portcullis.login.address-burst} wrong tokens is answered 429 until the refill (a token of 256
 * random bits is not guessed, but a flood is still slowed). Not per client: a count per client
 * would let anyone shut the real one out by failing in its name. A door with no token configured
 * refuses every token, the same way: closed unless opened.
 */
@NamedInterface("tokens")
@Component
public class TokenLogin {

  private final LoginRefusals refusals;
  private final LoginThrottle throttle;

  @Autowired
  TokenLogin(LoginRefusals refusals, LoginThrottleProperties throttle) {
    this(refusals, new LoginThrottle(throttle, TimeMeter.SYSTEM_NANOTIME));
  }

  TokenLogin(LoginRefusals refusals, LoginThrottle throttle) {
    this.refusals = refusals;
    this.throttle = throttle;
  }

  /**
   * @param presented the token as sent, or null when the request sent some other credential
   * @param expected the door's token, or null when none is configured
   * @param door where the token came in ({@code scim}), for the audit record
   * @param address the client's address, which the throttle counts
   * @return whether the token is the door's; false is audited and counted
   * @throws Throttled when the token is wrong and too many wrong tokens came from this address
   *     lately
   */
  public boolean login(String presented, TokenHash expected, String door, String address) {
    return login(presented, expected == null ? Map.of() : Map.of(door, expected), door, address)
        .isPresent();
  }

  /**
   * @param holders the token of each client that may log in at this door, by the client's name
   * @return the name of the client whose token this is; empty is audited and counted
   * @throws Throttled when the token is nobody's and too many wrong tokens came from this address
   *     lately
   */
  public Optional<String> login(
      String presented, Map<String, TokenHash> holders, String door, String address) {
    String holder = null;
    for (Map.Entry<String, TokenHash> candidate : holders.entrySet()) {
      // every hash is compared, so how long a refusal takes says nothing of which client was close
      if (candidate.getValue().matches(presented) && holder == null) {
        holder = candidate.getKey();
      }
    }
    if (holder != null) {
      return Optional.of(holder);
    }
    unknown(door, address);
    return Optional.empty();
  }

  /**
   * A token its door looked up in a store of its own (a refresh token at {@code /oauth2/token}) and
   * found to be nobody's: audited and counted like a wrong token here. The door asks only after its
   * lookup, so a token that is someone's is never refused by the throttle.
   *
   * @throws Throttled when too many wrong tokens came from this address lately
   */
  public void unknown(String door, String address) {
    Optional<Duration> wait = throttle.waitBeforeFrom(address);
    if (wait.isPresent()) {
      refusals.throttled(door, Tried.TOKEN, address);
      throw new Throttled(wait.get());
    }
    throttle.failedFrom(address);
    refusals.failed(door, Tried.TOKEN, address);
  }

  /**
   * The token of a Bearer credential (the scheme's name is case-insensitive), or null for any other
   * or none.
   */
  public static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String trimmed = authorization.strip();
    if (trimmed.length() < 7
        || !trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    return trimmed.substring(7).strip();
  }

  /** Too many tokens failed from this address: answered 429 with {@code Retry-After}. */
  @NamedInterface("tokens")
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
