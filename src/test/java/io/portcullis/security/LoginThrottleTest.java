package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The throttle's rule on its own clock: a burst of failures, then one more try per refill period. */
class LoginThrottleTest {

  private long now = 1_000_000_000L;
  private final TimeMeter clock = new TimeMeter() {
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
      new LoginThrottle(new LoginThrottleProperties(3, Duration.ofMinutes(1), 10, Duration.ofSeconds(10)), clock);

  @Test
  void aNameIsSlowedAfterItsBurstAndFreedByTime() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.waitBefore("erin", "10.0.0.1")).isEmpty();
      throttle.failed("erin", "10.0.0.1");
    }
    assertThat(throttle.waitBefore("erin", "10.0.0.1")).hasValueSatisfying(wait -> assertThat(wait).isPositive());
    assertThat(throttle.waitBefore("ERIN", "10.0.0.2")).as("the same name in another case, from elsewhere").isPresent();
    assertThat(throttle.waitBefore("alice", "10.0.0.1")).as("another person from the same address").isEmpty();

    now += Duration.ofMinutes(1).toNanos();
    assertThat(throttle.waitBefore("erin", "10.0.0.1")).as("one more try after a refill period").isEmpty();
    throttle.failed("erin", "10.0.0.1");
    assertThat(throttle.waitBefore("erin", "10.0.0.1")).isPresent();
  }

  @Test
  void anAddressIsSlowedWhateverNamesItTries() {
    for (int i = 0; i < 10; i++) {
      throttle.failed("guess" + i, "10.0.0.9");
    }
    assertThat(throttle.waitBefore("dave", "10.0.0.9")).isPresent();
    assertThat(throttle.waitBefore("dave", "10.0.0.8")).isEmpty();
    now += Duration.ofSeconds(10).toNanos();
    assertThat(throttle.waitBefore("dave", "10.0.0.9")).isEmpty();
  }

  @Test
  void aCredentialWithoutANameIsSlowedByItsAddressAlone() {
    for (int i = 0; i < 10; i++) {
      assertThat(throttle.waitBeforeFrom("10.0.0.7")).isEmpty();
      throttle.failedFrom("10.0.0.7");
    }
    assertThat(throttle.waitBeforeFrom("10.0.0.7")).isPresent();
    assertThat(throttle.waitBeforeFrom("10.0.0.6")).as("the real client, elsewhere, is not shut out").isEmpty();
    assertThat(throttle.waitBefore("erin", "10.0.0.6")).as("nor is any name").isEmpty();
    now += Duration.ofSeconds(10).toNanos();
    assertThat(throttle.waitBeforeFrom("10.0.0.7")).isEmpty();
  }
}
