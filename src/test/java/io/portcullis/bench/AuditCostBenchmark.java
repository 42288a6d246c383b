package io.portcullis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.PortcullisApplication;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditSealer;
import io.portcullis.audit.AuditTrail;
import io.portcullis.audit.AuditVerification;
import io.portcullis.audit.AuditVerifier;
import io.portcullis.audit.NoAuditTrail;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.request.AccessRequestRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What does the audit trail cost on the request path? Starts the application twice in this JVM: A
 * as it is, B with the audit trail replaced by one that records nothing ({@link NoAuditTrail}),
 * each with its own in-memory database and embedded directory (the "test" profile), the job
 * executor off. Then runs whole requests on both, in rounds that alternate between A and B (and
 * which of the two goes first), so that whatever else the machine does falls on both alike.
 *
 * <p>One request is the whole path that writes audit events: started by alice or erin for {@value
 * #RESOURCE}, approved by bob, the standing-access check and the grant (jobs, run here), a revoke
 * message and the revoke (a job): six engine transactions, four audit events (requested, decided,
 * granted, revoked), two writes to the directory and three reads. First on one thread, then on
 * {@code bench.threads} threads at once (each its own requester). Before sealing (issue 14), the
 * trail's head row, locked by every audited transaction until it committed, let only one of them
 * append at a time; now each step inserts a row of its own and the sealer's loop (on, as in
 * production) chains them.
 *
 * <p>Reading the figures: on a shared machine one round can differ from the next by more than the
 * trail costs. The count of pairs in which the audited round was slower says whether the cost
 * stands out of that noise (about half of them means it does not); the trail alone, timed after the
 * rounds, says what the appends themselves take. More rounds ({@code -Dbench.rounds=10} or more)
 * narrow the medians.
 *
 * <p>Not a test: it prints figures. It asserts only that the comparison is what it claims to be: A
 * wrote audit events and its chain verifies, B's trail is empty, every request was revoked and the
 * directory is left as it was. Run it with {@code ./mvnw -B -o -Pbench test
 * -Dtest=AuditCostBenchmark}; {@code -Dbench.requests=N} (per round, default 150), {@code
 * -Dbench.rounds=N} (per context and variant, default 6), {@code -Dbench.warmup=N} (per context and
 * variant, default 500), {@code -Dbench.threads=N} (the concurrent variant, default 2; 1 skips it),
 * {@code -Dbench.appends=N} (the trail alone, appended to after the rounds, default 1000; 0 skips
 * it), {@code -Dbench.auditLog=true} (the SIEM copy of each event on, as in production; the "test"
 * profile has it off, and its lines then go to this output).
 */
@Tag("benchmark")
class AuditCostBenchmark {

  static final String RESOURCE = "staging-db-admin";
  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";

  /**
   * Requesters from the demo directory, none of them a member of {@value #STAGING}; bob approves.
   */
  static final List<String> REQUESTERS = List.of("alice", "erin", "carol", "dave");

  static final String APPROVER = "bob";

  @Test
  void auditCostOnTheRequestPath() throws Exception {
    int requests = positive("bench.requests", 150);
    int rounds = positive("bench.rounds", 6);
    // 100 was too few: throughput still rose round after round, and whichever context went first in
    // a pair paid for it
    int warmup = Integer.getInteger("bench.warmup", 500);
    int threads = positive("bench.threads", 2);
    int appends = Integer.getInteger("bench.appends", 1000);
    // the SIEM copy of each event (AuditLogLine): off in the "test" profile, on (INFO) in
    // production
    boolean auditLog = Boolean.getBoolean("bench.auditLog");

    try (Portcullis audited = Portcullis.start("audited", false, auditLog);
        Portcullis unaudited = Portcullis.start("unaudited", true, auditLog)) {
      List<String> requesters =
          REQUESTERS.subList(0, Math.min(REQUESTERS.size(), Math.max(2, threads)));
      for (Portcullis p : List.of(audited, unaudited)) {
        for (String user : requesters) {
          assertThat(p.ldapGroups.holds(Username.of(user), Target.of(STAGING)))
              .as("%s: %s holds %s before the benchmark", p.name, user, STAGING)
              .isFalse();
        }
      }
      long eventsBefore = audited.auditEvents();

      List<String> report = new ArrayList<>();
      Variant single = run(audited, unaudited, 1, requesters, requests, rounds, warmup);
      report.addAll(single.lines());
      Variant concurrent = null;
      if (threads > 1) {
        concurrent = run(audited, unaudited, threads, requesters, requests, rounds, warmup);
        report.addAll(concurrent.lines());
        report.add(
            String.format(
                Locale.ROOT,
                "scaling from 1 to %d threads (median throughput): with audit x%.2f, without x%.2f",
                threads,
                concurrent.with.median() / single.with.median(),
                concurrent.without.median() / single.without.median()));
      }

      // sanity: what was compared is what the figures say
      long requestsRun = audited.requestsRun;
      long eventsWritten = audited.auditEvents() - eventsBefore;
      if (appends > 0) {
        report.add(audited.appendAlone(appends));
      }
      // the sealer's loop ran all along; what it had not reached yet is sealed now, so all of it
      // verifies
      audited.sealer.seal();
      AuditSealer.SealingDelays.Summary delays = audited.sealer.delays();
      report.add(
          String.format(
              Locale.ROOT,
              "sealing delay in A (event time to its seal committed, loop every %s): p50 %d ms, p99 %d ms, "
                  + "max %d ms over %d events",
              audited
                  .context
                  .getEnvironment()
                  .getProperty("portcullis.audit.sealer.interval", "PT0.1S"),
              delays.p50Millis(),
              delays.p99Millis(),
              delays.maxMillis(),
              delays.events()));
      AuditVerification verification = audited.verifier.verify();
      List<String> leftInDirectory = new ArrayList<>();
      for (Portcullis p : List.of(audited, unaudited)) {
        for (String user : requesters) {
          if (p.ldapGroups.holds(Username.of(user), Target.of(STAGING))) {
            leftInDirectory.add(p.name + ": " + user);
          }
        }
      }
      report.add(
          String.format(
              Locale.ROOT,
              "audit events written in A: %.2f per request (%d events for %d requests); in B's audit_event: %d rows",
              (double) eventsWritten / requestsRun,
              eventsWritten,
              requestsRun,
              unaudited.auditEvents()));
      report.add(
          "A's chain: "
              + (verification.valid()
                  ? "valid"
                  : "INVALID at " + verification.firstBadSeq() + ": " + verification.reason())
              + ", "
              + verification.eventsChecked()
              + " events and "
              + verification.checkpointsChecked()
              + " signed checkpoints verified");
      report.add(
          "directory afterwards: "
              + (leftInDirectory.isEmpty()
                  ? "no requester is left in " + RESOURCE
                  : "STILL MEMBERS of " + RESOURCE + ": " + leftInDirectory));

      System.out.println();
      System.out.println(
          "=== Audit cost on the request path (requested, approved, checked, granted, revoked: 6 engine transactions, "
              + "4 audit events; "
              + requests
              + " requests per round, "
              + rounds
              + " rounds per context and variant, "
              + warmup
              + " warm-up requests; "
              + Runtime.getRuntime().availableProcessors()
              + " cores; audit log line "
              + (auditLog ? "ON" : "off, as in the test profile")
              + ") ===");
      report.forEach(System.out::println);
      System.out.println();

      assertThat(eventsWritten).as("audit events written by A's requests").isGreaterThan(0);
      assertThat(unaudited.auditEvents()).as("rows in B's audit_event").isZero();
      assertThat(verification.valid()).as("A's chain verifies: %s", verification.reason()).isTrue();
      for (Portcullis p : List.of(audited, unaudited)) {
        assertThat(p.count("select count(*) from access_request where status <> 'REVOKED'"))
            .as("%s: requests not revoked", p.name)
            .isZero();
        assertThat(p.count("select count(*) from access_request"))
            .as("%s: requests", p.name)
            .isEqualTo(p.requestsRun);
        assertThat(
                p.runtime
                    .createProcessInstanceQuery()
                    .processDefinitionKey(AccessProcess.KEY)
                    .count())
            .as("%s: access processes still running", p.name)
            .isZero();
      }
      assertThat(leftInDirectory).as("requesters still in %s", RESOURCE).isEmpty();
    }
  }

  // --- the measurement

  /**
   * Warm-up on each context, then rounds alternating A, B; the first of each pair alternates too (A
   * B, B A, A B ...).
   */
  private static Variant run(
      Portcullis audited,
      Portcullis unaudited,
      int threads,
      List<String> requesters,
      int requests,
      int rounds,
      int warmup)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      audited.round(pool, threads, requesters, warmup);
      unaudited.round(pool, threads, requesters, warmup);
      Variant variant = new Variant(threads, requests);
      for (int pair = 0; pair < rounds; pair++) {
        boolean auditedFirst = pair % 2 == 0;
        for (Portcullis p :
            auditedFirst ? List.of(audited, unaudited) : List.of(unaudited, audited)) {
          System.gc(); // the other context's garbage is collected before this round, not during it
          long nanos = p.round(pool, threads, requesters, requests);
          double perSecond = requests / (nanos / 1e9);
          (p == audited ? variant.with : variant.without).add(perSecond);
          System.out.printf(
              Locale.ROOT,
              "audit cost, %d thread(s), round %d, %s: %d requests in %.2f s = %.1f requests/s%n",
              threads,
              pair + 1,
              p == audited ? "with audit   " : "without audit",
              requests,
              nanos / 1e9,
              perSecond);
        }
      }
      return variant;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The figures of one variant: requests per second of each round, in the order the pairs ran. */
  record Variant(int threads, int requests, Series with, Series without) {

    Variant(int threads, int requests) {
      this(threads, requests, new Series(), new Series());
    }

    List<String> lines() {
      List<Double> ratios = new ArrayList<>();
      List<Double> costs = new ArrayList<>();
      for (int i = 0; i < with.values.size(); i++) {
        ratios.add(with.values.get(i) / without.values.get(i));
        costs.add(1000 / with.values.get(i) - 1000 / without.values.get(i));
      }
      String label = threads == 1 ? "1 thread" : threads + " threads at once";
      return List.of(
          "-- "
              + label
              + (threads == 1
                  ? ""
                  : " (each its own requester; ms per request is wall time divided by requests)"),
          String.format(
              Locale.ROOT,
              "with audit:    %.1f requests/s median (%.1f-%.1f)",
              with.median(),
              with.min(),
              with.max()),
          String.format(
              Locale.ROOT,
              "without audit: %.1f requests/s median (%.1f-%.1f)",
              without.median(),
              without.min(),
              without.max()),
          String.format(
              Locale.ROOT,
              "ratio with/without per round pair: %s; median %.3f (throughput %+.1f%%)",
              list(ratios, "%.3f"),
              median(ratios),
              (median(ratios) - 1) * 100),
          String.format(
              Locale.ROOT,
              "cost per request (ms with - ms without) per pair: %s; median %.2f ms of %.2f ms",
              list(costs, "%.2f"),
              median(costs),
              1000 / with.median()),
          // how far to trust the medians: a cost lost in noise is as often negative as positive
          String.format(
              Locale.ROOT,
              "pairs in which the audited round was slower: %d of %d",
              costs.stream().filter(c -> c > 0).count(),
              costs.size()));
    }
  }

  static final class Series {
    final List<Double> values = new ArrayList<>();

    void add(double value) {
      values.add(value);
    }

    double median() {
      return AuditCostBenchmark.median(values);
    }

    double min() {
      return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
      return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static String list(List<Double> values, String format) {
    return values.stream()
        .map(v -> String.format(Locale.ROOT, format, v))
        .collect(Collectors.joining(" "));
  }

  private static int positive(String property, int otherwise) {
    int value = Integer.getInteger(property, otherwise);
    if (value < 1) {
      throw new IllegalArgumentException(property + " must be at least 1, not " + value);
    }
    return value;
  }

  // --- one application

  /** One running Portcullis, with what the request path needs. */
  static final class Portcullis implements AutoCloseable {

    final String name;
    final ConfigurableApplicationContext context;
    final RuntimeService runtime;
    final AccessRequestRepository requestRepository;
    final TaskService tasks;
    final ManagementService management;
    final IdentityService identity;
    final JdbcTemplate jdbc;
    final LdapGroupConnector ldapGroups;
    final AuditVerifier verifier;
    final AuditSealer sealer;
    long requestsRun;

    private Portcullis(String name, ConfigurableApplicationContext context) {
      this.name = name;
      this.context = context;
      this.runtime = context.getBean(RuntimeService.class);
      this.requestRepository = context.getBean(AccessRequestRepository.class);
      this.tasks = context.getBean(TaskService.class);
      this.management = context.getBean(ManagementService.class);
      this.identity = context.getBean(IdentityService.class);
      this.jdbc = context.getBean(JdbcTemplate.class);
      this.ldapGroups = context.getBean(LdapGroupConnector.class);
      this.verifier = context.getBean(AuditVerifier.class);
      this.sealer = context.getBean(AuditSealer.class);
    }

    /**
     * The application as the tests run it ("test" profile: an in-memory database of its own, the
     * demo directory on a free port, the job executor off), on a free HTTP port, its engine named
     * apart from the other's; without the audit trail, when {@code noAudit}.
     */
    static Portcullis start(String name, boolean noAudit, boolean auditLog) {
      Class<?>[] sources =
          noAudit
              ? new Class<?>[] {PortcullisApplication.class, NoAuditTrail.Replacing.class}
              : new Class<?>[] {PortcullisApplication.class};
      // logging is one for the whole JVM, and each start configures it again: both say the same
      ConfigurableApplicationContext context =
          new SpringApplicationBuilder(sources)
              .profiles("demo", "test")
              .run(
                  "--server.port=0",
                  "--camunda.bpm.process-engine-name=" + name,
                  "--logging.level.portcullis.audit=" + (auditLog ? "info" : "warn"),
                  // the sealer's loop runs as in production (the "test" profile turns it off); idle
                  // in B
                  "--portcullis.audit.sealer.enabled=true");
      return new Portcullis(name, context);
    }

    /**
     * The trail alone, to read the figures above by: n appends, each in a transaction of its own as
     * on the request path, timing the {@code record} call (the insert, the entry line and its MAC,
     * the MAC's update), not the commit; the sealer's loop chains them meanwhile.
     */
    String appendAlone(int n) {
      AuditTrail trail = context.getBean(AuditTrail.class);
      TransactionTemplate tx =
          new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
      List<Double> micros = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String id = UUID.randomUUID().toString();
        AuditEvent.Draft draft =
            AuditEvent.Draft.by("alice", AuditAction.ACCESS_REQUESTED)
                .subject("alice")
                .resource(RESOURCE)
                .request(id, id)
                .detail("duration", "PT1H")
                .detail("justification", "audit cost benchmark")
                .detail("ticket", "BENCH-2")
                .detail("approverGroup", "team-leads");
        tx.executeWithoutResult(
            status -> {
              long t0 = System.nanoTime();
              trail.record(draft);
              micros.add((System.nanoTime() - t0) / 1e3);
            });
      }
      double totalMs = (System.nanoTime() - start) / 1e6;
      List<Double> sorted = micros.stream().sorted().toList();
      return String.format(
          Locale.ROOT,
          "the trail alone in A, %d appends of one event per transaction: record() median %.0f us, p90 %.0f us "
              + "(x4 events = %.2f ms per request); with begin and commit %.2f ms per append",
          n,
          median(micros),
          sorted.get((int) Math.ceil(0.9 * n) - 1),
          4 * median(micros) / 1000,
          totalMs / n);
    }

    /**
     * Runs n requests on the given number of threads, each thread its own requester; returns the
     * wall time in ns.
     */
    long round(ExecutorService pool, int threads, List<String> requesters, int n) throws Exception {
      if (n == 0) {
        return 0;
      }
      if (threads == 1) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          request(requesters.get(i % requesters.size()));
        }
        long nanos = System.nanoTime() - start;
        requestsRun += n;
        return nanos;
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String requester = requesters.get(t);
        int share = n / threads + (t < n % threads ? 1 : 0);
        running.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < share; i++) {
                    request(requester);
                  }
                  return null;
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> f : running) {
        f.get();
      }
      long nanos = System.nanoTime() - start;
      requestsRun += n;
      return nanos;
    }

    /** One whole request, from asking to the revoke: every step that writes an audit event. */
    void request(String requester) {
      Map<String, Object> asked = new HashMap<>();
      asked.put(AccessProcess.RESOURCE, RESOURCE);
      asked.put(AccessProcess.DURATION, "PT1H");
      asked.put(AccessProcess.JUSTIFICATION, "audit cost benchmark");
      asked.put(AccessProcess.TICKET, "BENCH-2");
      ProcessInstance pi;
      identity.setAuthentication(requester, List.of("developers"));
      try {
        pi =
            runtime.startProcessInstanceByKey(
                AccessProcess.KEY, UUID.randomUUID().toString(), asked);
      } finally {
        identity.clearAuthentication();
      }

      Task approval =
          tasks
              .createTaskQuery()
              .processInstanceId(pi.getId())
              .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
              .singleResult();
      Map<String, Object> decision = new HashMap<>();
      decision.put(ApprovalProcess.DECISION, "approve");
      decision.put(ApprovalProcess.DECISION_COMMENT, "benchmark");
      identity.setAuthentication(APPROVER, List.of("team-leads"));
      try {
        tasks.complete(approval.getId(), decision);
      } finally {
        identity.clearAuthentication();
      }

      runJob(pi); // the standing-access check, and the access clock
      runJob(pi); // the grant
      requestRepository.requestEnd(RequestId.of(pi.getBusinessKey()), requester, "benchmark: done");
      runtime
          .createMessageCorrelation(AccessProcess.MESSAGE_REVOKE)
          .processInstanceId(pi.getId())
          .correlate();
      runJob(pi); // the revoke
    }

    private void runJob(ProcessInstance pi) {
      management.executeJob(
          management
              .createJobQuery()
              .processInstanceId(pi.getId())
              .executable()
              .singleResult()
              .getId());
    }

    long auditEvents() {
      return count("select count(*) from audit_event");
    }

    long count(String sql) {
      Long n = jdbc.queryForObject(sql, Long.class);
      return n == null ? 0 : n;
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
