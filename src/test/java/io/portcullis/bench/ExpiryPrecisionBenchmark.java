package io.portcullis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portcullis.approval.ApprovalProcess;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.request.RequestStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.context.ActiveProfiles;

/**
 * How late does access really end? Runs the whole application with the job executor on, exactly as
 * tuned in application.yml, grants many short accesses that expire at spread moments, and measures
 * for each one how long after its {@code expiresAt} the revoke committed ({@code endedAt -
 * expiresAt}, both on the engine clock, which this benchmark never moves).
 *
 * <p>Not a test: it prints figures. It asserts only that expiry works at all (every grant expired,
 * never before its time, and the directory is left without the memberships). Run it with {@code
 * ./mvnw -B -o -Pbench test}, and {@code -Dbench.grants=N} (N at least 50) for another sample size.
 */
@Tag("benchmark")
@SpringBootTest(
    properties = {
      // as in production: the job executor fires the expiry timers on its own; its tuning is
      // application.yml's
      "camunda.bpm.job-execution.enabled=true",
      // expiries a few seconds away, so the benchmark takes seconds rather than minutes
      "portcullis.requests.min-duration=PT1S"
    })
@ActiveProfiles({"demo", "test"})
class ExpiryPrecisionBenchmark {

  static final String RESOURCE = "staging-db-admin";
  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";

  /**
   * Requesters from the demo directory; bob is a team lead, so someone else approves his requests.
   */
  static final List<String> REQUESTERS = List.of("alice", "erin", "bob");

  static final Duration SHORTEST = Duration.ofSeconds(3);
  static final Duration LONGEST = Duration.ofSeconds(12);
  static final Duration POLL = Duration.ofMillis(20);
  static final int MIN_GRANTS = 50;

  @Autowired ProcessEngine engine;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired IdentityService identity;
  @Autowired HistoryService history;
  @Autowired LdapGroupConnector ldapGroups;
  @Autowired NamedParameterJdbcTemplate jdbc;
  @Autowired Environment env;

  @BeforeEach
  void realTime() {
    ClockUtil.reset();
  }

  @AfterEach
  void cleanUp() {
    identity.clearAuthentication();
    // only when the benchmark failed half-way: nothing is left running, and nobody keeps the access
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(AccessProcess.KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "benchmark over", true, true));
    for (String user : REQUESTERS) {
      ldapGroups.revoke(Username.of(user), Target.of(STAGING));
    }
  }

  @Test
  void expiryDelay() {
    int n = Integer.getInteger("bench.grants", 60);
    if (n < MIN_GRANTS) {
      throw new IllegalArgumentException(
          "bench.grants must be at least "
              + MIN_GRANTS
              + " for the percentiles to mean anything, not "
              + n);
    }
    for (String user : REQUESTERS) {
      assertThat(ldapGroups.holds(Username.of(user), Target.of(STAGING)))
          .as("%s holds %s before the benchmark", user, STAGING)
          .isFalse();
    }
    String settings = jobExecutorSettings();

    // request and approve n grants, durations spread evenly over [3 s, 12 s] and all different
    Instant started = Instant.now();
    Map<String, String> requesterOf = new LinkedHashMap<>();
    Map<String, String> instanceOf = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String requester = REQUESTERS.get(i % REQUESTERS.size());
      Duration duration =
          SHORTEST.plusMillis(
              Math.round((double) i * LONGEST.minus(SHORTEST).toMillis() / (n - 1)));
      ProcessInstance pi = request(requester, duration);
      requesterOf.put(pi.getBusinessKey(), requester);
      instanceOf.put(pi.getBusinessKey(), pi.getId());
      approve(pi, "bob".equals(requester) ? "zoe" : "bob");
    }
    Set<String> ids = requesterOf.keySet();
    // from here on this thread only polls: earlier expiries are seen late, and left out of the
    // cross-check
    Instant pollingFrom = Instant.now();

    // the job executor checks the standing access and grants; with many grants, the first may
    // expire before the last is granted
    Map<String, Instant> observedExpired = new HashMap<>();
    await("all " + n + " grants granted")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(POLL)
        .until(() -> poll(ids, observedExpired).stream().allMatch(r -> r.grantedAt() != null));
    Instant allGranted = Instant.now();
    Instant lastExpiry =
        poll(ids, observedExpired).stream()
            .map(Row::expiresAt)
            .max(Instant::compareTo)
            .orElseThrow();

    // then wait for every expiry, noting when this loop first saw each one EXPIRED (the
    // cross-check)
    Duration untilLastExpiry = Duration.between(Instant.now(), lastExpiry);
    await("all " + n + " grants expired")
        .atMost(untilLastExpiry.plusSeconds(30))
        .pollInterval(POLL)
        .until(
            () ->
                poll(ids, observedExpired).stream()
                    .allMatch(r -> r.status() == RequestStatus.EXPIRED));

    List<Row> rows = poll(ids, observedExpired);
    List<Long> delays = new ArrayList<>();
    List<Long> timerDelays = new ArrayList<>();
    List<Long> revokeLatencies = new ArrayList<>();
    List<Long> observedDelays = new ArrayList<>();
    for (Row row : rows) {
      delays.add(Duration.between(row.expiresAt(), row.endedAt()).toMillis());
      if (!row.expiresAt().isBefore(pollingFrom)) {
        observedDelays.add(
            Duration.between(row.expiresAt(), observedExpired.get(row.id())).toMillis());
      }
      HistoricActivityInstance timer =
          history
              .createHistoricActivityInstanceQuery()
              .processInstanceId(instanceOf.get(row.id()))
              .activityId("timerEvent_accessExpired")
              .singleResult();
      if (timer != null && timer.getEndTime() != null) {
        timerDelays.add(timer.getEndTime().getTime() - row.expiresAt().toEpochMilli());
        revokeLatencies.add(row.endedAt().toEpochMilli() - timer.getEndTime().getTime());
      }
    }
    List<String> stillMembers =
        REQUESTERS.stream()
            .filter(user -> ldapGroups.holds(Username.of(user), Target.of(STAGING)))
            .toList();

    System.out.println();
    System.out.println(
        "=== Expiry precision ("
            + n
            + " grants of "
            + RESOURCE
            + ", "
            + SHORTEST.toSeconds()
            + "-"
            + LONGEST.toSeconds()
            + " s, requested by "
            + String.join(", ", REQUESTERS)
            + ") ===");
    System.out.println(
        "expiry delay over "
            + delays.size()
            + " grants: "
            + figures(delays)
            + " ("
            + settings
            + ")");
    System.out.println(
        "  of which timer fired after expiresAt:  "
            + figures(timerDelays)
            + "  [history, "
            + timerDelays.size()
            + " timers]");
    System.out.println("  of which revoke after the timer fired: " + figures(revokeLatencies));
    System.out.println(
        "  cross-check, seen EXPIRED by a "
            + POLL.toMillis()
            + " ms poll: "
            + figures(observedDelays)
            + "  ["
            + observedDelays.size()
            + " grants that expired while the benchmark was polling]");
    Instant firstExpiry = rows.stream().map(Row::expiresAt).min(Instant::compareTo).orElseThrow();
    System.out.println(
        "timeline: requested and approved in "
            + millis(started, pollingFrom)
            + " ms, all granted after "
            + millis(started, allGranted)
            + " ms; expiries from +"
            + millis(started, firstExpiry)
            + " ms to +"
            + millis(started, lastExpiry)
            + " ms, one every "
            + millis(firstExpiry, lastExpiry) / Math.max(1, n - 1)
            + " ms on average");
    System.out.println("job executor in force: " + jobExecutorInForce());
    System.out.println(
        "directory afterwards: "
            + (stillMembers.isEmpty()
                ? "no requester is left in " + RESOURCE
                : "STILL MEMBERS of " + RESOURCE + ": " + stillMembers));
    System.out.println();

    // sanity only, no thresholds: expiry happened, never early, and left nothing behind
    assertThat(rows)
        .as("grants")
        .hasSize(n)
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(RequestStatus.EXPIRED));
    assertThat(rows)
        .as("no access may be revoked by expiry before it expires")
        .allSatisfy(
            r ->
                assertThat(r.endedAt())
                    .as("endedAt of %s (expiresAt %s)", r.id(), r.expiresAt())
                    .isAfterOrEqualTo(r.expiresAt()));
    assertThat(stillMembers)
        .as(
            "requesters still in %s after every grant expired (preexisted flags: %s)",
            RESOURCE, preexisted(ids))
        .isEmpty();
  }

  // --- the requests

  private ProcessInstance request(String requester, Duration duration) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(AccessProcess.RESOURCE, RESOURCE);
    variables.put(AccessProcess.DURATION, duration.toString());
    variables.put(AccessProcess.JUSTIFICATION, "expiry precision benchmark");
    variables.put(AccessProcess.TICKET, "BENCH-1");
    identity.setAuthentication(requester, List.of("developers"));
    try {
      return runtime.startProcessInstanceByKey(
          AccessProcess.KEY, UUID.randomUUID().toString(), variables);
    } finally {
      identity.clearAuthentication();
    }
  }

  private void approve(ProcessInstance pi, String approver) {
    Task approval =
        tasks
            .createTaskQuery()
            .processInstanceId(pi.getId())
            .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
            .singleResult();
    Map<String, Object> variables = new HashMap<>();
    variables.put(ApprovalProcess.DECISION, "approve");
    variables.put(ApprovalProcess.DECISION_COMMENT, "benchmark");
    identity.setAuthentication(approver, List.of("team-leads"));
    try {
      tasks.complete(approval.getId(), variables);
    } finally {
      identity.clearAuthentication();
    }
  }

  // --- the read model, polled

  record Row(
      String id, RequestStatus status, Instant grantedAt, Instant expiresAt, Instant endedAt) {}

  /** One cheap query for all the grants; notes the wall-clock moment each is first seen EXPIRED. */
  private List<Row> poll(Collection<String> ids, Map<String, Instant> observedExpired) {
    List<Row> rows =
        jdbc.query(
            "select id, status, granted_at, expires_at, ended_at from access_request where id in (:ids)",
            new MapSqlParameterSource("ids", ids),
            (rs, i) ->
                new Row(
                    rs.getString("id"),
                    RequestStatus.valueOf(rs.getString("status")),
                    instant(rs.getObject("granted_at", OffsetDateTime.class)),
                    instant(rs.getObject("expires_at", OffsetDateTime.class)),
                    instant(rs.getObject("ended_at", OffsetDateTime.class))));
    Instant now = Instant.now();
    for (Row row : rows) {
      if (row.status() != RequestStatus.ACTIVE
          && row.status() != RequestStatus.EXPIRED
          && row.status() != RequestStatus.PENDING) {
        throw new AssertionError(
            "grant " + row.id() + " ended " + row.status() + " instead of expiring");
      }
      if (row.status() == RequestStatus.EXPIRED) {
        observedExpired.putIfAbsent(row.id(), now);
      }
    }
    if (rows.size() != ids.size()) {
      throw new AssertionError(
          "the read model has " + rows.size() + " of the " + ids.size() + " grants");
    }
    return rows;
  }

  private Map<String, Boolean> preexisted(Collection<String> ids) {
    Map<String, Boolean> flags = new LinkedHashMap<>();
    jdbc.query(
        "select requester, access_preexisted from access_request where id in (:ids) and access_preexisted",
        new MapSqlParameterSource("ids", ids),
        rs -> {
          flags.put(rs.getString("requester"), true);
        });
    return flags;
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  // --- the figures

  /** min, median, p90, p99 and worst, in ms, nearest-rank percentiles. */
  static String figures(List<Long> values) {
    if (values.isEmpty()) {
      return "no values";
    }
    List<Long> sorted = values.stream().sorted().toList();
    ToLongFunction<Double> p = q -> sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    return "min "
        + sorted.get(0)
        + " ms, median "
        + p.applyAsLong(0.5)
        + " ms, p90 "
        + p.applyAsLong(0.9)
        + " ms, p99 "
        + p.applyAsLong(0.99)
        + " ms, worst "
        + sorted.get(sorted.size() - 1)
        + " ms";
  }

  /** The settings as configured, from the Environment. */
  private String jobExecutorSettings() {
    return "wait-time "
        + env.getProperty("camunda.bpm.job-execution.wait-time-in-millis", "default")
        + " ms, max-wait "
        + env.getProperty("camunda.bpm.job-execution.max-wait", "default")
        + " ms, acquire-by-due-date "
        + env.getProperty(
            "camunda.bpm.generic-properties.properties.job-executor-acquire-by-due-date", "default")
        + ", prefer-timer-jobs "
        + env.getProperty(
            "camunda.bpm.generic-properties.properties.job-executor-prefer-timer-jobs", "default");
  }

  /**
   * The settings the engine's job executor actually runs with, to prove the Environment's reached
   * it.
   */
  private String jobExecutorInForce() {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    JobExecutor executor = configuration.getJobExecutor();
    return "active "
        + executor.isActive()
        + ", wait-time "
        + executor.getWaitTimeInMillis()
        + " ms, max-wait "
        + executor.getMaxWait()
        + " ms, wait-increase-factor "
        + executor.getWaitIncreaseFactor()
        + ", max-jobs-per-acquisition "
        + executor.getMaxJobsPerAcquisition()
        + ", lock-time "
        + executor.getLockTimeInMillis()
        + " ms, acquire-by-due-date "
        + configuration.isJobExecutorAcquireByDueDate()
        + ", prefer-timer-jobs "
        + configuration.isJobExecutorPreferTimerJobs()
        + (executor instanceof SpringJobExecutor spring
                && spring.getTaskExecutor() instanceof ThreadPoolTaskExecutor pool
            ? ", pool "
                + pool.getCorePoolSize()
                + "-"
                + pool.getMaxPoolSize()
                + " threads, queue "
                + pool.getQueueCapacity()
            : "");
  }
}
