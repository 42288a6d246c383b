package io.portcullis.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.kernel.LeavingPeople;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Logins that succeeded within the last {@code portcullis.login.remember-for} (default 30 s), so
 * that a client sending HTTP Basic with every call (a pipeline polling its request) costs the
 * directory one look-up and one bind per period instead of per call: the load benchmark measured
 * 3.95 new LDAP connections per request without it (issue 14).
 *
 * <p>No password is kept: only a proof of the name and password, an HMAC under a key drawn at start
 * and held nowhere else, so the cache cannot be turned back into passwords without guessing, and a
 * restart forgets it. A wrong password matches no proof and always goes to the directory, and to
 * the throttle.
 *
 * <p>The cost of the period: a password changed, or an account disabled, in the directory by
 * someone other than Portcullis still logs in for up to that long. What Portcullis does applies at
 * once: its freeze of a leaver, because {@link LeavingPeople} is asked after this on every login,
 * and a connector's disable of an account, which makes {@link DirectoryLogin} forget the person.
 */
final class RecentLogins {

  static final Duration LONGEST = Duration.ofMinutes(5);

  private final Cache<String, String> canonicalByProof;
  private final SecretKeySpec key;
  private final boolean enabled;

  RecentLogins(Duration rememberFor) {
    if (rememberFor.isNegative() || rememberFor.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          "portcullis.login.remember-for must be between PT0S (off) and " + LONGEST);
    }
    this.enabled = !rememberFor.isZero();
    this.canonicalByProof =
        Caffeine.newBuilder()
            .expireAfterWrite(enabled ? rememberFor : Duration.ofNanos(1))
            .maximumSize(100_000)
            .build();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** The canonical name of whoever logged in lately with exactly this name and password. */
  Optional<String> canonicalFor(String name, String password) {
    return enabled
        ? Optional.ofNullable(canonicalByProof.getIfPresent(proof(name, password)))
        : Optional.empty();
  }

  void remember(String name, String password, String canonical) {
    if (enabled) {
      canonicalByProof.put(proof(name, password), canonical);
    }
  }

  /** Forgets every login of this person: their next call goes to the directory again. */
  void forget(String canonical) {
    canonicalByProof.asMap().values().removeIf(canonical::equals);
  }

  private String proof(String name, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(name.getBytes(StandardCharsets.UTF_8));
      // a separator no name can hold, so that ("ab", "c") and ("a", "bc") never share a proof
      mac.update((byte) 0);
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
