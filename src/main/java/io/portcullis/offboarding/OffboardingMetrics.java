package io.portcullis.offboarding;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Offboardings by status, as the Micrometer gauge {@code portcullis.offboardings} with a {@code
 * status} tag [Prometheus: {@code portcullis_offboardings}], one per {@link OffboardingStatus},
 * read from the offboarding table. What an operator alerts on: {@code NEEDS_ATTENTION} above 0
 * (something a leaver held is still there and an admin's task waits), or {@code IN_PROGRESS} that
 * stays up for long (a saga step is stuck on a target).
 *
 * <p>The counts are read at most once per {@link #REFRESH}, whatever the scrape rate, and are the
 * same on every node: they count the shared database, not this node's work.
 */
@Component
class OffboardingMetrics {

  static final Duration REFRESH = Duration.ofSeconds(5);

  private final OffboardingRepository offboardings;
  private Snapshot snapshot;

  OffboardingMetrics(MeterRegistry registry, OffboardingRepository offboardings) {
    this.offboardings = offboardings;
    for (OffboardingStatus status : OffboardingStatus.values()) {
      Gauge.builder(
              "portcullis.offboardings",
              this,
              m -> m.snapshot().byStatus().getOrDefault(status, 0L))
          .description("Offboardings in each status")
          .tag("status", status.name())
          .register(registry);
    }
  }

  private synchronized Snapshot snapshot() {
    Instant now = Instant.now();
    if (snapshot == null || snapshot.at().plus(REFRESH).isBefore(now)) {
      snapshot = new Snapshot(now, offboardings.countByStatus());
    }
    return snapshot;
  }

  private record Snapshot(Instant at, Map<OffboardingStatus, Long> byStatus) {}
}
