package io.portcullis.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import io.portcullis.PortcullisApplication;
import io.portcullis.audit.AuditVerification;
import io.portcullis.audit.AuditVerifier;
import io.portcullis.support.HttpLoad;
import io.portcullis.support.HttpLoad.Answer;
import io.portcullis.support.HttpLoad.Call;
import io.portcullis.support.LdapConnections;
import io.portcullis.support.LoadPeople;
import io.portcullis.support.NodeProcess;
import io.portcullis.support.PostgresServer;
import io.portcullis.support.SharedDirectory;
import io.portcullis.support.ThreadCpu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The load benchmark of issue 14: the product started whole (job executor and audit sealer on, the
 * pool and thread sizes of application.yml), on one or two nodes, driven over REST only, as a burst
 * of people would. The directory is the demo organisation in a server of its own (the company's
 * LDAP server), which both nodes reach over LDAP; its CPU is counted apart.
 *
 * <p>For each size in {@code bench.sizes} (default 1000; the issue asks for 1000,10000,100000) of
 * active grants:
 *
 * <ol>
 *   <li><b>Background</b>: active grants are added in bulk ({@link ActiveGrants}) until, with the
 *       round below, that many are active.
 *   <li><b>Throughput</b>: {@code bench.requesters} new people (default 300) each ask for {@value
 *       #RESOURCE} over REST; bob approves; each is followed until ACTIVE; {@code bench.threads}
 *       client threads (default 8), requester {@code i} on node {@code i mod nodes}. Prints
 *       requests per second from the first create to the last ACTIVE, latency percentiles of
 *       create, approve and create-to-ACTIVE, the product's CPU per request (every node's JVM, less
 *       the client's and the directory's threads), and new LDAP connections per request.
 *   <li><b>Expiry</b>: {@code bench.burst} (default 300) of that round's grants are made to expire
 *       at the same second (their timers moved with the engine's management API, as an operator
 *       could), and the delay from that second to each revoke's commit ({@code endedAt}) is
 *       printed: p50, p99, max.
 * </ol>
 *
 * Then how each figure grows from one size to the next, and whether the audit trail still verifies.
 *
 * <p>Not a test: it prints figures and asserts nothing about speed. Run it with {@code ./mvnw -B
 * -Pbench test -Dtest=LoadBenchmark}. The database is {@code bench.database}: {@code h2} (default:
 * a new H2 file with application.yml's settings, the embedded stack as it ships) or {@code
 * postgres} (a new database on the tests' PostgreSQL: embedded, or with {@code
 * -Dportcullis.test.postgres=external} the server of {@code PGHOST}); {@code bench.nodes=2} runs a
 * second node in a JVM of its own on the same PostgreSQL. {@code bench.args} adds settings to every
 * node, to try one without a rebuild.
 */
@Tag("benchmark")
class LoadBenchmark {

  static final String RESOURCE = "staging-db-admin";
  static final String APPROVER = "bob";
  static final String PEOPLE_DN = "ou=people," + SharedDirectory.BASE_DN;

  final ObjectMapper json = new ObjectMapper();
  final ThreadMXBean threadsMx = ManagementFactory.getThreadMXBean();
  final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @Test
  void throughputAndExpiry() throws Exception {
    int requesters = Integer.getInteger("bench.requesters", 300);
    int clientThreads = Integer.getInteger("bench.threads", 8);
    int burst = Math.min(requesters, Integer.getInteger("bench.burst", 300));
    int warmUp = Integer.getInteger("bench.warmup", 100);
    int nodeCount = Integer.getInteger("bench.nodes", 1);
    List<Integer> sizes = new ArrayList<>();
    for (String s : System.getProperty("bench.sizes", "1000").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    if (nodeCount < 1 || nodeCount > 2) {
      throw new IllegalArgumentException("bench.nodes=" + nodeCount + ": one node or two");
    }
    List<String> database = database(nodeCount);

    InMemoryDirectoryServer directory = SharedDirectory.start();
    List<NodeProcess> others = new ArrayList<>();
    ConfigurableApplicationContext nodeA = null;
    try {
      ActiveGrants.addGroups(directory);
      List<String> names = LoadPeople.add(directory, PEOPLE_DN, warmUp + requesters * sizes.size());
      List<String> settings = new ArrayList<>(database);
      settings.addAll(SharedDirectory.settings(directory));
      settings.addAll(ActiveGrants.catalog());
      // the job executor and the audit sealer run as in the product (the test profile turns both
      // off)
      settings.addAll(
          List.of(
              "--camunda.bpm.job-execution.enabled=true",
              "--portcullis.audit.sealer.enabled=true",
              "--portcullis.requests.min-duration=PT1S",
              "--spring.main.banner-mode=off"));
      // settings to try without a rebuild, e.g. -Dbench.args="--camunda.bpm.history-level=activity"
      for (String extra : System.getProperty("bench.args", "").trim().split("\\s+")) {
        if (!extra.isEmpty()) {
          settings.add(extra);
        }
      }
      nodeA = start(settings);
      List<HttpLoad> nodes =
          new ArrayList<>(
              List.of(
                  new HttpLoad(((WebServerApplicationContext) nodeA).getWebServer().getPort())));
      for (int n = 2; n <= nodeCount; n++) {
        List<String> more = new ArrayList<>(settings);
        more.add("--camunda.bpm.generic-properties.properties.hostname=node-" + n);
        NodeProcess node =
            NodeProcess.start("bench-node-" + n, "demo,test", List.of("-Xmx2g"), more);
        others.add(node);
        nodes.add(new HttpLoad(node.port()));
      }
      NamedParameterJdbcTemplate jdbc = nodeA.getBean(NamedParameterJdbcTemplate.class);
      List<String> report = new ArrayList<>();

      // warm-up: the first requests load classes, fill caches and get the hot paths compiled; not
      // measured
      Round warm = round(nodes, others, names.subList(0, warmUp), clientThreads, directory);
      report.add(line("warm-up", warm.requests + " requests"));
      int next = warmUp;
      int active = warm.requests;
      ActiveGrants background = new ActiveGrants();
      List<Size> measured = new ArrayList<>();
      for (int size : sizes) {
        int fill = size - requesters - active;
        if (fill > 0) {
          Duration took = background.add(nodeA, directory, fill, Duration.ofHours(8));
          active += fill;
          report.add(
              line(
                  "background, " + size,
                  String.format(
                      Locale.ROOT,
                      "%d active grants added in bulk in %.1f s (%d in all)",
                      fill,
                      took.toMillis() / 1e3,
                      background.made())));
        }
        Round main =
            round(nodes, others, names.subList(next, next + requesters), clientThreads, directory);
        next += requesters;
        active += main.requests;
        Expiry expiry = expireAtOnce(nodeA, others, jdbc, main.ids.subList(0, burst));
        measured.add(new Size(active, main, expiry));
        active -= burst;
        String at = ", " + measured.get(measured.size() - 1).active + " active";
        report.add(
            line(
                "throughput" + at,
                String.format(
                    Locale.ROOT,
                    "%d requesters, %d client threads: %.1f requests/s create -> approve -> "
                        + "ACTIVE (%d in %.1f s)",
                    requesters,
                    clientThreads,
                    main.perSecond(),
                    main.requests,
                    main.wallSeconds())));
        report.add(line("  create latency", figures(main.create)));
        report.add(line("  approve latency", figures(main.approve)));
        report.add(line("  create to ACTIVE", figures(main.toActive)));
        report.add(
            line(
                "  CPU per request",
                String.format(
                        Locale.ROOT,
                        "%.1f ms product CPU (%.1f ms of the nodes' processes, less %.1f ms of "
                            + "the client's threads and %.1f ms of the directory's, which stands in for the company's LDAP server)",
                        main.productCpuMs() / main.requests,
                        main.processCpuMs / main.requests,
                        main.clientCpuMs / main.requests,
                        main.directoryCpuMs / main.requests)
                    + (main.databaseCpuMs > 0
                        ? String.format(
                            Locale.ROOT,
                            "; and %.1f ms of PostgreSQL's processes",
                            main.databaseCpuMs / main.requests)
                        : "")));
        report.add(
            line(
                "  LDAP connections",
                String.format(
                    Locale.ROOT,
                    "%d opened for %d requests (%.2f per request, each being a create, "
                        + "an approval and the polls to ACTIVE)",
                    main.ldapOpened,
                    main.requests,
                    (double) main.ldapOpened / main.requests)));
        report.add(line("expiry" + at, expiry.toString()));
      }
      for (int i = 1; i < measured.size(); i++) {
        Size a = measured.get(i - 1);
        Size b = measured.get(i);
        report.add(
            line(
                "growth " + a.active + " -> " + b.active,
                String.format(
                    Locale.ROOT,
                    "throughput x%.2f, CPU per request x%.2f; expiry p50 x%.2f, p99 x%.2f, max x%.2f",
                    b.round.perSecond() / a.round.perSecond(),
                    (b.round.productCpuMs() / b.round.requests)
                        / (a.round.productCpuMs() / a.round.requests),
                    ratio(b.expiry.p50, a.expiry.p50),
                    ratio(b.expiry.p99, a.expiry.p99),
                    ratio(b.expiry.max, a.expiry.max))));
      }

      // every event sealed, then verified: the benchmark's work leaves one whole, valid chain
      AuditVerifier verifier = nodeA.getBean(AuditVerifier.class);
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> verifier.verify().eventsPending() == 0);
      AuditVerification verification = verifier.verify();
      report.add(
          line(
              "audit trail",
              verification.valid()
                  ? "valid, " + verification.eventsChecked() + " events, none pending"
                  : "INVALID at " + verification.firstBadSeq() + ": " + verification.reason()));

      System.out.println();
      System.out.println(
          "=== Load benchmark: "
              + nodeCount
              + (nodeCount == 1 ? " node, " : " nodes, ")
              + describe(nodeA)
              + ", "
              + Runtime.getRuntime().availableProcessors()
              + " cores, machine load average "
              + os.getSystemLoadAverage()
              + " at the end ===");
      report.forEach(System.out::println);
      System.out.println();
    } finally {
      others.forEach(NodeProcess::close);
      if (nodeA != null) {
        nodeA.close();
      }
      directory.shutDown(true);
    }
  }

  /**
   * The database settings: bench.datasource.url as given, or a new H2 file, or a new PostgreSQL
   * database.
   */
  private static List<String> database(int nodes) {
    String url = System.getProperty("bench.datasource.url");
    String user = System.getProperty("bench.datasource.username");
    String password = System.getProperty("bench.datasource.password", "");
    String kind = System.getProperty("bench.database", "h2");
    if (url == null && kind.equals("postgres")) {
      PostgresServer postgres = PostgresServer.get();
      url = postgres.createDatabase();
      user = postgres.user();
      password = postgres.password();
    } else if (url == null && kind.equals("h2")) {
      if (nodes > 1) {
        throw new IllegalArgumentException(
            "bench.nodes="
                + nodes
                + " needs bench.database=postgres: nodes share one PostgreSQL, "
                + "and the embedded H2 file belongs to one node");
      }
      url = embeddedDatabase();
    } else if (url == null) {
      throw new IllegalArgumentException("bench.database=" + kind + ": h2 or postgres");
    }
    List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + url));
    if (user != null) {
      args.add("--spring.datasource.username=" + user);
      args.add("--spring.datasource.password=" + password);
    }
    return args;
  }

  private ConfigurableApplicationContext start(List<String> settings) {
    List<String> args = new ArrayList<>(settings);
    args.addAll(
        List.of("--server.port=0", "--camunda.bpm.generic-properties.properties.hostname=node-1"));
    return new SpringApplicationBuilder(PortcullisApplication.class)
        .profiles("demo", "test")
        .run(args.toArray(String[]::new));
  }

  /** The embedded stack as it ships: application.yml's H2 file URL, on a new file under target/. */
  static String embeddedDatabase() {
    return "jdbc:h2:file:./target/bench-h2/"
        + UUID.randomUUID()
        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=256";
  }

  private static String describe(ConfigurableApplicationContext node) {
    String url = node.getEnvironment().getProperty("spring.datasource.url", "");
    return url.startsWith("jdbc:h2") ? "H2" : "PostgreSQL";
  }

  /** The figures of one size. */
  record Size(int active, Round round, Expiry expiry) {}

  /** What one round of requests took. */
  static final class Round {
    int requests;
    long wallNanos;
    double processCpuMs;
    double clientCpuMs;
    double directoryCpuMs;
    double databaseCpuMs;
    long ldapOpened;
    final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    final List<Long> create = Collections.synchronizedList(new ArrayList<>());
    final List<Long> approve = Collections.synchronizedList(new ArrayList<>());
    final List<Long> toActive = Collections.synchronizedList(new ArrayList<>());

    double wallSeconds() {
      return wallNanos / 1e9;
    }

    double perSecond() {
      return requests / wallSeconds();
    }

    double productCpuMs() {
      return processCpuMs - clientCpuMs - directoryCpuMs;
    }
  }

  /**
   * Every requester asks once for eight hours, on its node; bob approves there; each is polled
   * until ACTIVE.
   */
  private Round round(
      List<HttpLoad> nodes,
      List<NodeProcess> others,
      List<String> requesters,
      int clientThreads,
      InMemoryDirectoryServer directory)
      throws Exception {
    Round round = new Round();
    ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < requesters.size(); i++) {
      queue.add(i);
    }
    AtomicLong clientCpu = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    List<String> firstFailures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clientThreads);
    ThreadCpu directoryCpu = ThreadCpu.ofThreadsNamed("LDAPListener client connection");
    long ldapBefore = LdapConnections.acceptedSoFar(directory);
    Cpu before = Cpu.now(os, others);
    long start = System.nanoTime();
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < clientThreads; t++) {
      work.add(
          pool.submit(
              () -> {
                long threadCpu = threadsMx.getCurrentThreadCpuTime();
                for (Integer next = queue.poll(); next != null; next = queue.poll()) {
                  String who = requesters.get(next);
                  HttpLoad http = nodes.get(next % nodes.size());
                  long begun = System.nanoTime();
                  Answer created =
                      http.send(
                          Call.post(
                              who,
                              "/api/access-requests",
                              "{\"resource\":\""
                                  + RESOURCE
                                  + "\",\"duration\":\"PT8H\",\"justification\":\"benchmark\"}"));
                  if (created.status() != 201) {
                    failures.incrementAndGet();
                    firstFailures.add(created.status() + " " + created.body());
                    continue;
                  }
                  round.create.add(created.took().toMillis());
                  String id = field(created.body(), "id");
                  Answer approved =
                      http.send(
                          Call.post(APPROVER, "/api/access-requests/" + id + "/approve", "{}"));
                  if (approved.status() != 200) {
                    failures.incrementAndGet();
                    firstFailures.add(approved.status() + " " + approved.body());
                    continue;
                  }
                  round.approve.add(approved.took().toMillis());
                  await()
                      .atMost(Duration.ofMinutes(5))
                      .pollInterval(Duration.ofMillis(50))
                      .until(
                          () ->
                              field(
                                  http.send(Call.get(who, "/api/access-requests/" + id)).body(),
                                  "status"),
                          "ACTIVE"::equals);
                  round.toActive.add((System.nanoTime() - begun) / 1_000_000);
                  round.ids.add(id);
                }
                clientCpu.addAndGet(threadsMx.getCurrentThreadCpuTime() - threadCpu);
                return null;
              }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    round.wallNanos = System.nanoTime() - start;
    Cpu after = Cpu.now(os, others);
    round.processCpuMs = after.nodesMs - before.nodesMs;
    round.databaseCpuMs = after.postgresMs - before.postgresMs;
    round.clientCpuMs = clientCpu.get() / 1e6;
    round.directoryCpuMs = directoryCpu.millis();
    round.ldapOpened = LdapConnections.acceptedSoFar(directory) - ldapBefore;
    directoryCpu.close();
    round.requests = round.toActive.size();
    pool.shutdown();
    if (failures.get() > 0) {
      throw new IllegalStateException(
          failures.get()
              + " requests failed, first: "
              + firstFailures.subList(0, Math.min(3, firstFailures.size())));
    }
    return round;
  }

  /**
   * Expiry delays of one burst, and the product's CPU per expiry (the nodes' JVMs, less the
   * directory's threads).
   */
  record Expiry(
      int burst, long p50, long p99, long max, double cpuMsEach, double databaseCpuMsEach) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "burst of %d expiries at the same second: delay p50 %d ms, p99 %d ms, max %d ms; %.1f ms product "
              + "CPU per expiry%s",
          burst,
          p50,
          p99,
          max,
          cpuMsEach,
          databaseCpuMsEach > 0
              ? String.format(Locale.ROOT, ", %.1f ms PostgreSQL's", databaseCpuMsEach)
              : "");
    }
  }

  /**
   * CPU used so far by the nodes' JVMs (this one included) and by the PostgreSQL server's processes
   * on this machine.
   */
  record Cpu(double nodesMs, double postgresMs) {
    static Cpu now(OperatingSystemMXBean os, List<NodeProcess> others) {
      double nodes =
          os.getProcessCpuTime() / 1e6 + others.stream().mapToDouble(NodeProcess::cpuMillis).sum();
      // every process of the server: the postmaster, its helpers and one backend per pooled
      // connection (the
      // pools keep theirs open, so a backend's CPU is not lost to its exit within a measurement)
      double postgres =
          ProcessHandle.allProcesses()
              .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
              .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(0.0))
              .sum();
      return new Cpu(nodes, postgres);
    }
  }

  /** Moves these requests' expiry timers to the same second, a few seconds ahead, and measures. */
  private Expiry expireAtOnce(
      ConfigurableApplicationContext node,
      List<NodeProcess> others,
      NamedParameterJdbcTemplate jdbc,
      List<String> ids) {
    ManagementService management = node.getBean(ManagementService.class);
    List<String> instances =
        jdbc.queryForList(
            "select process_instance_id from access_request where id in (:ids)",
            new MapSqlParameterSource("ids", ids),
            String.class);
    Instant at = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
    for (String instance : instances) {
      Job timer = management.createJobQuery().processInstanceId(instance).timers().singleResult();
      management.setJobDuedate(timer.getId(), Date.from(at));
    }
    ThreadCpu directoryCpu = ThreadCpu.ofThreadsNamed("LDAPListener client connection");
    Cpu before = Cpu.now(os, others);
    // a timer fired before the expiresAt that Portcullis stored is a revoke made outside its API
    // (docs/architecture.md, rule 8), so these end REVOKED, not EXPIRED: the path from the due
    // second to the revoke's commit, which is what is measured, is the same
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from access_request where id in (:ids) and status in ('EXPIRED', 'REVOKED')",
                        new MapSqlParameterSource("ids", ids),
                        Integer.class)
                    == ids.size());
    Cpu after = Cpu.now(os, others);
    double productMs = after.nodesMs - before.nodesMs - directoryCpu.millis();
    directoryCpu.close();
    List<Long> delays =
        new ArrayList<>(
            jdbc.query(
                "select ended_at from access_request where id in (:ids)",
                new MapSqlParameterSource("ids", ids),
                (rs, n) ->
                    Duration.between(at, rs.getObject("ended_at", OffsetDateTime.class).toInstant())
                        .toMillis()));
    Collections.sort(delays);
    return new Expiry(
        ids.size(),
        rank(delays, 50),
        rank(delays, 99),
        delays.get(delays.size() - 1),
        productMs / ids.size(),
        (after.postgresMs - before.postgresMs) / ids.size());
  }

  private static String line(String name, String figures) {
    return String.format(Locale.ROOT, "%-30s %s", name, figures);
  }

  private String field(String body, String name) {
    try {
      return json.readTree(body).get(name).asText();
    } catch (Exception e) {
      throw new IllegalStateException("not a request: " + body, e);
    }
  }

  private static long rank(List<Long> sorted, int percentile) {
    return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
  }

  static String figures(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format(
        Locale.ROOT,
        "p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (n=%d)",
        rank(sorted, 50),
        rank(sorted, 90),
        rank(sorted, 99),
        sorted.get(sorted.size() - 1),
        sorted.size());
  }

  private static double ratio(long b, long a) {
    return a == 0 ? Double.NaN : (double) b / a;
  }
}
