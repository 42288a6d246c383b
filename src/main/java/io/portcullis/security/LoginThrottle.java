package io.portcullis.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows guessing down without letting a stranger lock anyone out (docs/architecture.md, rule 14).
 * Failed logins are counted three ways, each in a token bucket (Bucket4j) that a failure drains and
 * time refills:
 *
 * <ol>
 *   <li><b>a name from one address</b>: after {@code name-burst} failures that address's next try
 *       for that name waits for a refill, unchecked. This is the only count that refuses by itself,
 *       and it refuses only the address that failed;
 *   <li><b>a name from every address</b>: a name that failed {@code name-burst} times is under
 *       attack;
 *   <li><b>an address for every name</b>: an address that failed {@code address-burst} times is
 *       guessing.
 * </ol>
 *
 * While a name is under attack or an address is guessing, an address that has failed for that name
 * waits until its own failures for it are refilled: one try at a time instead of a burst, so
 * guessing one name from many addresses, or many names from one, is slowed to a try per name and
 * address per refill.
 *
 * <p>A name that has not failed from an address is always checked from there. So no stranger's
 * failures, for the same name from elsewhere or for other names from behind the same proxy, ever
 * refuse a right password; only the name and address that failed are refused, unchecked, so a
 * guesser learns nothing more from there until the refill. Not a delay instead: a delay holds one
 * of the few request threads for each attempt, so a stranger sending a few slow attempts at once
 * would stall every login, which is what this rule exists to prevent. What no address can tell
 * apart is a stranger guessing a name from the address its owner uses too; a system avoids it with
 * a token ({@link TokenLogin}).
 *
 * <p>Buckets live in bounded caches (Caffeine) and are forgotten once full again, so made-up names
 * cannot grow memory without end. Each node counts its own.
 */
class LoginThrottle {

  private static final int MAX_KEYS = 100_000;

  private final LoginThrottleProperties settings;
  private final TimeMeter clock;
  private final Cache<String, Bucket> pairs;
  private final Cache<String, Bucket> names;
  private final Cache<String, Bucket> addresses;

  LoginThrottle(LoginThrottleProperties settings, TimeMeter clock) {
    this.settings = settings;
    this.clock = clock;
    Duration nameRefilled = settings.nameRefill().multipliedBy(settings.nameBurst());
    this.pairs = cache(nameRefilled);
    this.names = cache(nameRefilled);
    this.addresses = cache(settings.addressRefill().multipliedBy(settings.addressBurst()));
  }

  /**
   * How long before a login for this name from this address is checked; empty: check it now.
   *
   * @param name the name tried, or null for one that cannot be a user name
   */
  Optional<Duration> waitBefore(String name, String address) {
    Bucket pair = pairs.getIfPresent(pairKey(name, address));
    if (pair == null) {
      // this name has not failed from here lately: nothing anyone did elsewhere refuses it
      return Optional.empty();
    }
    long ownBurstSpent = nanosUntil(pair, 1);
    if (ownBurstSpent > 0) {
      return waitOf(ownBurstSpent);
    }
    long ownFailuresRefilled = nanosUntil(pair, settings.nameBurst());
    if (ownFailuresRefilled == 0) {
      return Optional.empty();
    }
    long attackOver =
        Math.max(
            nanosUntil(names.getIfPresent(nameKey(name)), 1),
            nanosUntil(addresses.getIfPresent(addressKey(address)), 1));
    return attackOver == 0 ? Optional.empty() : waitOf(Math.min(ownFailuresRefilled, attackOver));
  }

  /** A wrong name or password from this address. */
  void failed(String name, String address) {
    pairs
        .get(pairKey(name, address), k -> bucket(settings.nameBurst(), settings.nameRefill()))
        .tryConsume(1);
    names
        .get(nameKey(name), k -> bucket(settings.nameBurst(), settings.nameRefill()))
        .tryConsume(1);
    failedFrom(address);
  }

  /**
   * For a credential that names nobody (a bearer token), checked before this is asked: the address
   * alone. A shared count per client would let anyone shut the real client out by failing often
   * enough.
   */
  Optional<Duration> waitBeforeFrom(String address) {
    long nanos = nanosUntil(addresses.getIfPresent(addressKey(address)), 1);
    return nanos <= 0 ? Optional.empty() : waitOf(nanos);
  }

  void failedFrom(String address) {
    addresses
        .get(addressKey(address), k -> bucket(settings.addressBurst(), settings.addressRefill()))
        .tryConsume(1);
  }

  /**
   * How long until the bucket holds this many tokens again; 0 for a bucket nobody drained (or
   * forgot).
   */
  private static long nanosUntil(Bucket bucket, int tokens) {
    return bucket == null ? 0 : bucket.estimateAbilityToConsume(tokens).getNanosToWaitForRefill();
  }

  private static Optional<Duration> waitOf(long nanos) {
    return Optional.of(Duration.ofNanos(nanos));
  }

  private Bucket bucket(int burst, Duration refill) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(1, refill).build())
        .withCustomTimePrecision(clock)
        .build();
  }

  /**
   * A bucket untouched for as long as it takes to refill completely is full: forgetting it changes
   * nothing.
   */
  private Cache<String, Bucket> cache(Duration refillWhole) {
    return Caffeine.newBuilder()
        .maximumSize(MAX_KEYS)
        .expireAfterAccess(refillWhole)
        .ticker(clock::currentTimeNanos)
        .build();
  }

  /**
   * The directory matches names without regard to case, so the throttle does too ({@link
   * Username#key}).
   */
  private static String nameKey(String name) {
    return name == null ? "" : Username.valid(name).map(Username::key).orElse(name);
  }

  private static String addressKey(String address) {
    return String.valueOf(address);
  }

  /** A separator that neither a name nor an address can hold. */
  private static String pairKey(String name, String address) {
    return nameKey(name) + '\u0000' + addressKey(address);
  }
}
