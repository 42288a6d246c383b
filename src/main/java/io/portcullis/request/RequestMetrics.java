package io.portcullis.request;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What an operator watches, as Micrometer meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code portcullis.requests} by {@code status} [{@code portcullis_requests}]: requests in
 *       each status, from the read model; {@code portcullis.grants.active} [{@code
 *       portcullis_grants_active}] is the ACTIVE ones;
 *   <li>{@code portcullis.approvals.waiting} [{@code portcullis_approvals_waiting}]: approval tasks
 *       not decided yet;
 *   <li>{@code portcullis.incidents.open} [{@code portcullis_incidents_open}]: engine incidents,
 *       each a step out of retries that waits for a person;
 *   <li>{@code portcullis.expiry.delay} [{@code portcullis_expiry_delay_seconds_bucket}]: a
 *       histogram of how late access ended after its {@code expiresAt} (revoke committed minus
 *       expiry time).
 * </ul>
 *
 * The counts are read from the database at most once per {@link #REFRESH} whatever the scrape rate,
 * and are the same on every node (they count the shared database, not this node's work).
 */
@Component
class RequestMetrics {

  static final Duration REFRESH = Duration.ofSeconds(5);

  private final JdbcTemplate jdbc;
  // looked up when first read: the engine's plugins need request beans, so the engine comes after
  // them
  private final ObjectProvider<TaskService> tasks;
  private final ObjectProvider<RuntimeService> runtime;
  private final Timer expiryDelay;
  private Snapshot snapshot;

  RequestMetrics(
      MeterRegistry registry,
      JdbcTemplate jdbc,
      ObjectProvider<TaskService> tasks,
      ObjectProvider<RuntimeService> runtime) {
    this.jdbc = jdbc;
    this.tasks = tasks;
    this.runtime = runtime;
    for (RequestStatus status : RequestStatus.values()) {
      Gauge.builder(
              "portcullis.requests", this, m -> m.snapshot().byStatus().getOrDefault(status, 0L))
          .description("Access requests in each status")
          .tag("status", status.name())
          .register(registry);
    }
    Gauge.builder(
            "portcullis.grants.active",
            this,
            m -> m.snapshot().byStatus().getOrDefault(RequestStatus.ACTIVE, 0L))
        .description("Access granted and not yet ended")
        .register(registry);
    Gauge.builder("portcullis.approvals.waiting", this, m -> m.snapshot().approvalsWaiting())
        .description("Approval tasks waiting for a decision")
        .register(registry);
    Gauge.builder("portcullis.incidents.open", this, m -> m.snapshot().incidentsOpen())
        .description("Engine incidents not yet resolved: steps out of retries")
        .register(registry);
    this.expiryDelay =
        Timer.builder("portcullis.expiry.delay")
            .description(
                "How long after its expiry time access was revoked (revoke committed minus expiresAt)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
  }

  /** Access ended at its expiry: the delay is recorded once the revoke has committed. */
  void expired(AccessRequest request, Instant revokedAt) {
    if (request.expiresAt() == null) {
      return;
    }
    Runnable record =
        () ->
            expiryDelay.record(
                Duration.between(request.expiresAt(), revokedAt).isNegative()
                    ? Duration.ZERO
                    : Duration.between(request.expiresAt(), revokedAt));
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              record.run();
            }
          });
    } else {
      record.run();
    }
  }

  private synchronized Snapshot snapshot() {
    Instant now = Instant.now();
    if (snapshot == null || snapshot.at().plus(REFRESH).isBefore(now)) {
      Map<RequestStatus, Long> byStatus = new EnumMap<>(RequestStatus.class);
      jdbc.query(
          "select status, count(*) from access_request group by status",
          rs -> {
            byStatus.put(RequestStatus.valueOf(rs.getString(1)), rs.getLong(2));
          });
      long approvals =
          tasks.getObject().createTaskQuery().processDefinitionKey(AccessProcess.KEY).count();
      long incidents = runtime.getObject().createIncidentQuery().count();
      snapshot = new Snapshot(now, byStatus, approvals, incidents);
    }
    return snapshot;
  }

  private record Snapshot(
      Instant at, Map<RequestStatus, Long> byStatus, long approvalsWaiting, long incidentsOpen) {}
}
