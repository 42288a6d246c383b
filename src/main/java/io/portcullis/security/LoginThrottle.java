package io.portcullis.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Slows down repeated failed logins, for a name and for an address: a token bucket each (Bucket4j),
 * which a failure drains and time refills. While either bucket is empty, a login is refused before its
 * password is checked, so guessing is slowed to the refill rate. Buckets live in a bounded cache
 * (Caffeine) and are forgotten once full again, so an attacker cannot grow memory with made-up names.
 */
class LoginThrottle {

  private static final int MAX_KEYS = 100_000;

  private final LoginThrottleProperties settings;
  private final TimeMeter clock;
  private final Cache<String, Bucket> names;
  private final Cache<String, Bucket> addresses;

  LoginThrottle(LoginThrottleProperties settings, TimeMeter clock) {
    this.settings = settings;
    this.clock = clock;
    this.names = cache(settings.nameRefill().multipliedBy(settings.nameBurst()));
    this.addresses = cache(settings.addressRefill().multipliedBy(settings.addressBurst()));
  }

  /** How long to wait before a login for this name from this address is checked again; empty: now. */
  Optional<Duration> waitBefore(String name, String address) {
    long nanos = Math.max(waitNanos(names.getIfPresent(key(name))), addressWaitNanos(address));
    return nanos <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
  }

  void failed(String name, String address) {
    names.get(key(name), k -> bucket(settings.nameBurst(), settings.nameRefill())).tryConsume(1);
    failedFrom(address);
  }

  /**
   * For a credential that names nobody (a bearer token): the address alone. A shared name bucket would
   * let anyone shut the real client out by failing often enough.
   */
  Optional<Duration> waitBeforeFrom(String address) {
    long nanos = addressWaitNanos(address);
    return nanos <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
  }

  void failedFrom(String address) {
    addresses.get(String.valueOf(address), k -> bucket(settings.addressBurst(), settings.addressRefill())).tryConsume(1);
  }

  private long addressWaitNanos(String address) {
    return waitNanos(addresses.getIfPresent(String.valueOf(address)));
  }

  private static long waitNanos(Bucket bucket) {
    return bucket == null ? 0 : bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
  }

  private Bucket bucket(int burst, Duration refill) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(1, refill).build())
        .withCustomTimePrecision(clock)
        .build();
  }

  /** A bucket untouched for as long as it takes to refill completely is full: forgetting it changes nothing. */
  private Cache<String, Bucket> cache(Duration refillWhole) {
    return Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(refillWhole).ticker(clock::currentTimeNanos).build();
  }

  /** The directory matches names without regard to case, so the throttle does too. */
  private static String key(String name) {
    return name == null ? "" : name.toLowerCase(Locale.ROOT);
  }
}
