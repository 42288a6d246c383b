package io.portcullis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.PortcullisApplication;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.request.AccessProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What does a durable commit cost on the embedded database? Starts the application twice in this
 * JVM, each on an H2 file database of its own (not the tests' in-memory one): D with the default's
 * {@code WRITE_DELAY=0} (each commit is written to the file before it returns), L with H2's own
 * default of 500 ms (commits reach the file in the background, and a killed process loses up to the
 * last half second). Then runs whole requests on both, in rounds that alternate between D and L and
 * which of the two goes first, so that whatever else the machine does falls on both alike.
 *
 * <p>One request: started by alice, approved by bob, the standing-access check, the grant, a revoke
 * message and the revoke: six engine transactions, each a commit to the file.
 *
 * <p>Not a test: it prints figures. Run it with {@code ./mvnw -B -ntp -Pbench test
 * -Dtest=DurabilityCostBenchmark}; {@code -Dbench.requests=N} per round (default 100), {@code
 * -Dbench.rounds=N} per variant (default 6), {@code -Dbench.warmup=N} (default 200).
 */
@Tag("benchmark")
class DurabilityCostBenchmark {

  static final String RESOURCE = "staging-db-admin";

  @Test
  void durableCommitsOnTheRequestPath(@TempDir Path dir) throws Exception {
    int requests = Integer.getInteger("bench.requests", 100);
    int rounds = Integer.getInteger("bench.rounds", 6);
    int warmup = Integer.getInteger("bench.warmup", 200);
    try (App durable = App.start("durable", dir.resolve("durable"), ";WRITE_DELAY=0");
        App lazy = App.start("lazy", dir.resolve("lazy"), "")) {
      durable.round(warmup);
      lazy.round(warmup);
      List<Double> withDurable = new ArrayList<>();
      List<Double> withLazy = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int pair = 0; pair < rounds; pair++) {
        double d = 0;
        double l = 0;
        for (App app : pair % 2 == 0 ? List.of(durable, lazy) : List.of(lazy, durable)) {
          System.gc();
          double perSecond = requests / (app.round(requests) / 1e9);
          System.out.printf(
              Locale.ROOT,
              "durability cost, round %d, %-7s: %.1f requests/s%n",
              pair + 1,
              app.name,
              perSecond);
          if (app == durable) {
            d = perSecond;
          } else {
            l = perSecond;
          }
        }
        withDurable.add(d);
        withLazy.add(l);
        ratios.add(d / l);
      }
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "=== Durable commits on H2 (%d requests per round, %d rounds, 6 commits per request, %d cores) ===%n",
          requests,
          rounds,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "WRITE_DELAY=0 (default now): %.1f requests/s median (%.1f-%.1f)%n",
          AuditCostBenchmark.median(withDurable),
          min(withDurable),
          max(withDurable));
      System.out.printf(
          Locale.ROOT,
          "WRITE_DELAY=500 (H2's own):  %.1f requests/s median (%.1f-%.1f)%n",
          AuditCostBenchmark.median(withLazy),
          min(withLazy),
          max(withLazy));
      System.out.printf(
          Locale.ROOT,
          "ratio durable/lazy per pair: %s; median %.3f; cost per request %.2f ms%n",
          AuditCostBenchmark.list(ratios, "%.3f"),
          AuditCostBenchmark.median(ratios),
          1000 / AuditCostBenchmark.median(withDurable)
              - 1000 / AuditCostBenchmark.median(withLazy));
      System.out.printf(
          Locale.ROOT,
          "file size after the run: durable %d KB, lazy %d KB%n",
          durable.fileSize() / 1024,
          lazy.fileSize() / 1024);
      System.out.println();
      for (App app : List.of(durable, lazy)) {
        assertThat(app.count("select count(*) from access_request where status <> 'REVOKED'"))
            .as("%s: requests not revoked", app.name)
            .isZero();
      }
    }
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** One running Portcullis on an H2 file database in {@code dir}, the job executor off. */
  static final class App implements AutoCloseable {

    final String name;
    final Path dir;
    final ConfigurableApplicationContext context;
    final RuntimeService runtime;
    final TaskService tasks;
    final ManagementService management;
    final IdentityService identity;
    final JdbcTemplate jdbc;

    private App(String name, Path dir, ConfigurableApplicationContext context) {
      this.name = name;
      this.dir = dir;
      this.context = context;
      this.runtime = context.getBean(RuntimeService.class);
      this.tasks = context.getBean(TaskService.class);
      this.management = context.getBean(ManagementService.class);
      this.identity = context.getBean(IdentityService.class);
      this.jdbc = context.getBean(JdbcTemplate.class);
    }

    static App start(String name, Path dir, String h2Settings) throws Exception {
      Files.createDirectories(dir);
      ConfigurableApplicationContext context =
          new SpringApplicationBuilder(PortcullisApplication.class)
              .profiles("demo", "test")
              .run(
                  "--server.port=0",
                  "--camunda.bpm.process-engine-name=" + name,
                  "--spring.datasource.url=jdbc:h2:file:"
                      + dir.resolve("portcullis")
                      + ";DB_CLOSE_ON_EXIT=FALSE"
                      + h2Settings);
      return new App(name, dir, context);
    }

    long round(int n) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        request();
      }
      return System.nanoTime() - start;
    }

    void request() {
      Map<String, Object> asked = new HashMap<>();
      asked.put(AccessProcess.RESOURCE, RESOURCE);
      asked.put(AccessProcess.DURATION, "PT1H");
      asked.put(AccessProcess.JUSTIFICATION, "durability cost benchmark");
      asked.put(AccessProcess.TICKET, "BENCH-3");
      ProcessInstance pi;
      identity.setAuthentication("alice", List.of("developers"));
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
      identity.setAuthentication("bob", List.of("team-leads"));
      try {
        tasks.complete(approval.getId(), decision);
      } finally {
        identity.clearAuthentication();
      }
      runJob(pi); // the standing-access check, and the access clock
      runJob(pi); // the grant
      runtime
          .createMessageCorrelation(AccessProcess.MESSAGE_REVOKE)
          .processInstanceId(pi.getId())
          .correlate();
      runJob(pi);
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

    long count(String sql) {
      Long n = jdbc.queryForObject(sql, Long.class);
      return n == null ? 0 : n;
    }

    long fileSize() throws Exception {
      return Files.size(dir.resolve("portcullis.mv.db"));
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
