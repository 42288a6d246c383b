package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The throttle's rules on its own clock: failures count per name and address first, so only the
 * address that failed is refused; a name under attack and an address guessing many names slow the
 * addresses that failed for it to one try at a time, and never refuse a name that has not failed
 * from that address.
 */
class LoginThrottleTest {

  private long now = 1_000_000_000L;
  private final TimeMeter clock =
      new TimeMeter() {
        @Override
        public long currentTimeNanos() {
          return now;
        }

        @Override
        public boolean isWallClockBased() {
          return false;
        }
      };
  private final LoginThrottle throttle =
      new LoginThrottle(
          new LoginThrottleProperties(3, Duration.ofMinutes(1), 10, Duration.ofSeconds(10), null),
          clock);

  @Test
  void anAddressThatFailsForANameIsSlowedAfterItsBurstAndFreedByTime() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.waitBefore("erin", "10.0.0.1")).isEmpty();
      throttle.failed("erin", "10.0.0.1");
    }
    assertThat(throttle.waitBefore("erin", "10.0.0.1"))
        .hasValueSatisfying(wait -> assertThat(wait).isPositive());
    assertThat(throttle.waitBefore("ERIN", "10.0.0.1"))
        .as("the same name in another case")
        .isPresent();
    assertThat(throttle.waitBefore("alice", "10.0.0.1"))
        .as("another person from the same address")
        .isEmpty();

    now += Duration.ofMinutes(1).toNanos();
    assertThat(throttle.waitBefore("erin", "10.0.0.1"))
        .as("one more try after a refill period")
        .isEmpty();
    throttle.failed("erin", "10.0.0.1");
    assertThat(throttle.waitBefore("erin", "10.0.0.1")).isPresent();
  }

  @Test
  void aNamesFailuresFromElsewhereNeverRefuseAnAddressThatHasNotFailedForIt() {
    for (int i = 0; i < 50; i++) {
      throttle.failed("hr-system", "203.0.113.9");
    }
    assertThat(throttle.waitBefore("hr-system", "203.0.113.9")).isPresent();
    assertThat(throttle.waitBefore("hr-system", "198.51.100.1"))
        .as("the HR system's own address")
        .isEmpty();
    assertThat(throttle.waitBefore("HR-SYSTEM", "198.51.100.2")).isEmpty();
  }

  @Test
  void whileANameIsUnderAttackAnAddressThatFailedForItGetsOneTryAtATime() {
    for (int i = 0; i < 3; i++) {
      throttle.failed("dave", "203.0.113.9");
    }
    // a new address: checked; once it failed, it waits until that failure is refilled, not for a
    // burst
    assertThat(throttle.waitBefore("dave", "203.0.113.10")).isEmpty();
    throttle.failed("dave", "203.0.113.10");
    assertThat(throttle.waitBefore("dave", "203.0.113.10"))
        .hasValueSatisfying(wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofMinutes(1)));
    now += Duration.ofMinutes(1).toNanos();
    assertThat(throttle.waitBefore("dave", "203.0.113.10")).as("its failure refilled").isEmpty();
  }

  @Test
  void withoutAnAttackAnAddressKeepsItsBurst() {
    throttle.failed("bob", "10.0.0.2");
    assertThat(throttle.waitBefore("bob", "10.0.0.2")).as("a typo is no attack").isEmpty();
    throttle.failed("bob", "10.0.0.2");
    assertThat(throttle.waitBefore("bob", "10.0.0.2")).isEmpty();
  }

  @Test
  void anAddressGuessingManyNamesIsSlowedOnlyForTheNamesItFailed() {
    for (int i = 0; i < 10; i++) {
      assertThat(throttle.waitBefore("guess" + i, "10.0.0.9"))
          .as("each name is checked once")
          .isEmpty();
      throttle.failed("guess" + i, "10.0.0.9");
    }
    assertThat(throttle.waitBefore("guess11", "10.0.0.9"))
        .as("a name that has not failed from here")
        .isEmpty();
    assertThat(throttle.waitBefore("dave", "10.0.0.9"))
        .as("a valid user behind the same address")
        .isEmpty();
    assertThat(throttle.waitBefore("guess1", "10.0.0.9"))
        .as("a name it failed, while it guesses")
        .isPresent();
    assertThat(throttle.waitBefore("guess1", "10.0.0.8")).as("that name from elsewhere").isEmpty();

    now += Duration.ofSeconds(10).toNanos();
    assertThat(throttle.waitBefore("guess1", "10.0.0.9"))
        .as("the address has a try again: no longer guessing")
        .isEmpty();
  }

  @Test
  void aCredentialWithoutANameIsSlowedByItsAddressAlone() {
    for (int i = 0; i < 10; i++) {
      assertThat(throttle.waitBeforeFrom("10.0.0.7")).isEmpty();
      throttle.failedFrom("10.0.0.7");
    }
    assertThat(throttle.waitBeforeFrom("10.0.0.7")).isPresent();
    assertThat(throttle.waitBeforeFrom("10.0.0.6"))
        .as("the real client, elsewhere, is not shut out")
        .isEmpty();
    assertThat(throttle.waitBefore("erin", "10.0.0.7"))
        .as("nor is any name that has not failed from there")
        .isEmpty();
    now += Duration.ofSeconds(10).toNanos();
    assertThat(throttle.waitBeforeFrom("10.0.0.7")).isEmpty();
  }
}
