package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.security.LoginRefusals.Tried;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How refused logins reach the audit trail: failures one by one up to the burst, then, like every
 * throttled attempt, one summary per action, name and address per period, with its count, first and
 * last time; written on a schedule and at stop, and kept when the trail cannot take them.
 */
class LoginRefusalsTest {

  private Instant now = Instant.parse("2026-12-06T10:00:00Z");
  private final List<AuditEvent.Draft> written = new CopyOnWriteArrayList<>();
  private boolean trailDown;
  private final LoginRefusals refusals =
      new LoginRefusals(
          draft -> {
            if (trailDown) {
              throw new IllegalStateException("database away");
            }
            written.add(draft);
          },
          3,
          Duration.ofMinutes(1),
          () -> now);

  @Test
  void aFloodOfThrottledAttemptsIsOneSummaryPerNameAndAddress() {
    for (int i = 0; i < 500; i++) {
      refusals.throttled(
          i % 2 == 0 ? "api" : "engine-rest", Tried.name("hr-system"), "203.0.113.9");
      now = now.plusMillis(10);
    }
    refusals.throttled("webapp", Tried.name("hr-system"), "203.0.113.8");
    assertThat(written).as("nothing until the period ends").isEmpty();

    refusals.flush();
    assertThat(written).hasSize(2);
    AuditEvent.Draft flood = written.get(0);
    assertThat(flood.action()).isEqualTo(AuditAction.LOGIN_THROTTLED);
    assertThat(flood.actor()).isEqualTo(DirectoryLogin.ANONYMOUS);
    assertThat(flood.details())
        .containsEntry("name", "hr-system")
        .containsEntry("address", "203.0.113.9")
        .containsEntry("count", 500L)
        .containsEntry("first", "2026-12-06T10:00:00Z")
        .containsEntry("last", "2026-12-06T10:00:04.990Z")
        .containsEntry("doors", List.of("api", "engine-rest"))
        .containsEntry("period", "PT1M");
    assertThat(written.get(1).details())
        .containsEntry("count", 1L)
        .containsEntry("doors", List.of("webapp"));

    refusals.flush();
    assertThat(written).as("a period without refusals writes nothing").hasSize(2);
  }

  @Test
  void failedLoginsAreEventsOfTheirOwnUpToTheBurstThenSummarised() {
    for (int i = 0; i < 10; i++) {
      refusals.failed("api", Tried.name("guess" + (i % 2)), "10.0.0.1");
    }
    refusals.failed("scim", Tried.TOKEN, "10.0.0.2");
    assertThat(written).hasSize(4);
    assertThat(written.get(0).details())
        .containsEntry("name", "guess0")
        .containsEntry("door", "api")
        .doesNotContainKey("count");
    assertThat(written.get(3).details())
        .containsEntry("presented", "bearer token")
        .containsEntry("address", "10.0.0.2");

    refusals.flush();
    assertThat(written.subList(4, written.size()))
        .extracting(
            d -> d.action() + " " + d.details().get("name") + " " + d.details().get("count"))
        .containsExactly("login.failed guess1 4", "login.failed guess0 3");

    written.clear();
    refusals.failed("api", Tried.name("guess0"), "10.0.0.1");
    assertThat(written)
        .as("a new period, a new burst")
        .singleElement()
        .satisfies(d -> assertThat(d.details()).doesNotContainKey("count"));
  }

  @Test
  void summariesAreBoundedWhateverTheFloodInvents() {
    for (int i = 0; i < 100; i++) {
      refusals.throttled("api", Tried.name("sprayed" + i), "10.0.0.3");
    }
    for (int i = 0; i < 3000; i++) {
      refusals.throttled("api", Tried.name("erin"), "10.1." + (i / 250) + "." + (i % 250));
    }
    refusals.flush();
    assertThat(written).hasSize(LoginRefusals.MAX_SUMMARIES + 1);
    assertThat(written)
        .filteredOn(d -> "10.0.0.3".equals(d.details().get("address")))
        .hasSize(LoginRefusals.NAMES_PER_ADDRESS + 1)
        .anySatisfy(
            d ->
                assertThat(d.details())
                    .containsEntry("name", LoginRefusals.OTHER_NAMES)
                    .containsEntry("count", 80L));
    assertThat(written)
        .anySatisfy(
            d -> assertThat(d.details()).containsEntry("address", LoginRefusals.OTHER_ADDRESSES));
    assertThat(written.stream().mapToLong(d -> (Long) d.details().get("count")).sum())
        .isEqualTo(3100);
  }

  @Test
  void aSummaryTheTrailCannotTakeIsKeptForTheNextPeriod() {
    refusals.throttled("api", Tried.name("dave"), "10.0.0.4");
    trailDown = true;
    refusals.flush();
    refusals.throttled("api", Tried.name("dave"), "10.0.0.4");
    trailDown = false;
    refusals.flush();
    assertThat(written)
        .singleElement()
        .satisfies(d -> assertThat(d.details()).containsEntry("count", 2L));
  }

  @Test
  void theScheduleWritesWhenTheFloodStopsAndStopWritesTheRest() {
    LoginRefusals scheduled = new LoginRefusals(written::add, 3, Duration.ofMillis(50), () -> now);
    scheduled.start();
    try {
      scheduled.throttled("api", Tried.name("frank"), "10.0.0.5");
      await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1);
      scheduled.throttled("api", Tried.name("frank"), "10.0.0.6");
    } finally {
      scheduled.stop();
    }
    assertThat(scheduled.isRunning()).isFalse();
    assertThat(written)
        .extracting(d -> d.details().get("address"))
        .containsExactly("10.0.0.5", "10.0.0.6");
  }
}
