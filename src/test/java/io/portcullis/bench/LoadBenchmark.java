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
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * second node in a JVM of its own on the same PostgreSQL; {@code bench.pin=true} pins node n to
 * core n-1 ({@code taskset}; the first node shares its core with the clients and the directory, the
 * database is not pinned), so one pinned node against two shows what a second node buys on a
 * two-core machine. {@code bench.args} adds settings to every node, to try one without a rebuild.
 */
@Tag("benchmark")
class LoadBenchmark {

  static final String RESOURCE = "staging-db-admin";
  static final String APPROVER = "bob";
  static final String PEOPLE_DN = "ou=people," + SharedDirectory.BASE_DN;

  /** The threads whose statements are a step's own: Tomcat's request threads and the jobs'. */
  static final String JOB_THREADS = "camundaTaskExecutor";

  static final List<String> STEP_THREADS = List.of("http-nio", JOB_THREADS);

  static final String DASHBOARD = "frank";
  static final int SQL_WIDTH = Integer.getInteger("bench.sql.width", 150);

  /** The benchmark's own threads: their statements are no product's work. */
  static final List<String> BENCHMARK_THREADS = List.of("main", "awaitility");

  static final int PAGE = 200;

  final ObjectMapper json = new ObjectMapper();
  final StatementCounter statements = new StatementCounter();
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
    int stepSamples = Integer.getInteger("bench.steps", 10);
    boolean pinned = Boolean.getBoolean("bench.pin");
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
      List<String> names =
          LoadPeople.add(directory, PEOPLE_DN, warmUp + (requesters + stepSamples) * sizes.size());
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
      if (pinned) {
        // node n on core n-1: this JVM (node A, the clients and the directory) on the first; the
        // database is not pinned
        pin(ProcessHandle.current().pid(), 0);
      }
      nodeA = start(settings);
      List<HttpLoad> nodes =
          new ArrayList<>(
              List.of(
                  new HttpLoad(((WebServerApplicationContext) nodeA).getWebServer().getPort())));
      for (int n = 2; n <= nodeCount; n++) {
        List<String> more = new ArrayList<>(settings);
        more.add("--camunda.bpm.generic-properties.properties.hostname=node-" + n);
        List<String> launcher =
            pinned ? List.of("taskset", "-c", Integer.toString(n - 1)) : List.<String>of();
        List<String> jvm = new ArrayList<>(List.of("-Xmx2g"));
        // e.g. -Dbench.jvm=-XX:StartFlightRecording=filename=/tmp/node-2.jfr,settings=profile
        for (String option : System.getProperty("bench.jvm", "").trim().split("\\s+")) {
          if (!option.isEmpty()) {
            jvm.add(option);
          }
        }
        NodeProcess node = NodeProcess.start("bench-node-" + n, launcher, "demo,test", jvm, more);
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
        if (stepSamples > 0) {
          Steps steps = steps(nodes.get(0), nodeA, names.subList(next, next + stepSamples));
          next += stepSamples;
          report.addAll(steps.lines(size));
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
                "  dashboard",
                String.format(
                    Locale.ROOT,
                    "%d list pages of %d read (every 500 ms), %.2f per request",
                    main.dashboardPages,
                    PAGE,
                    (double) main.dashboardPages / main.requests)));
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
                    "%d opened for %d requests (%.2f per request, each being a create "
                        + "and an approval, and the dashboard's pages)",
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
              + (pinned
                  ? (nodeCount == 1 ? "pinned to one core" : "each pinned to a core of its own")
                      + " (taskset), "
                  : "")
              + describe(nodeA)
              + ", "
              + Runtime.getRuntime().availableProcessors()
              + " cores for this JVM, machine load average "
              + os.getSystemLoadAverage()
              + " at the end ===");
      report.forEach(System.out::println);
      System.out.println();
    } finally {
      for (NodeProcess other : others) {
        other.stop(Duration.ofSeconds(30));
      }
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
  /** Pins every thread of a process, and those it starts later, to one core. */
  private static void pin(long pid, int core) throws IOException, InterruptedException {
    Process taskset =
        new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(core), Long.toString(pid))
            .redirectErrorStream(true)
            .start();
    String said = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (taskset.waitFor() != 0) {
      throw new IllegalStateException("taskset could not pin " + pid + ": " + said);
    }
  }

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
        .initializers(context -> context.getBeanFactory().addBeanPostProcessor(statements))
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
    long dashboardPages;
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
    ExecutorService pool = Executors.newFixedThreadPool(clientThreads + 1);
    Map<String, Long> awaited = new ConcurrentHashMap<>();
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
                  // followed by the dashboard below, not by a GET of its own
                  awaited.put(id, begun);
                }
                clientCpu.addAndGet(threadsMx.getCurrentThreadCpuTime() - threadCpu);
                return null;
              }));
    }
    // the dashboard: the newest pages of the resource's requests every half second, as an
    // operator's
    // screen would; a request is ACTIVE when a page first shows it so
    Future<?> dashboard =
        pool.submit(
            () -> {
              long threadCpu = threadsMx.getCurrentThreadCpuTime();
              int pages = (requesters.size() + PAGE - 1) / PAGE;
              long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
              while (!(clientsDone(work) && awaited.isEmpty())) {
                if (System.nanoTime() > deadline) {
                  throw new IllegalStateException(awaited.size() + " requests never ACTIVE");
                }
                long tick = System.nanoTime();
                for (int page = 0; page < pages && !awaited.isEmpty(); page++) {
                  Answer answer =
                      nodes
                          .get(page % nodes.size())
                          .send(
                              Call.get(
                                  DASHBOARD,
                                  "/api/access-requests?resource="
                                      + RESOURCE
                                      + "&size="
                                      + PAGE
                                      + "&page="
                                      + page));
                  round.dashboardPages++;
                  long seen = System.nanoTime();
                  for (var item : json.readTree(answer.body()).get("items")) {
                    String id = item.get("id").asText();
                    if ("ACTIVE".equals(item.get("status").asText())) {
                      Long begun = awaited.remove(id);
                      if (begun != null) {
                        round.toActive.add((seen - begun) / 1_000_000);
                        round.ids.add(id);
                      }
                    }
                  }
                }
                long rest = Duration.ofMillis(500).toNanos() - (System.nanoTime() - tick);
                if (rest > 0) {
                  LockSupport.parkNanos(rest);
                }
              }
              clientCpu.addAndGet(threadsMx.getCurrentThreadCpuTime() - threadCpu);
              return null;
            });
    for (Future<?> f : work) {
      f.get();
    }
    dashboard.get();
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
      int burst,
      long p50,
      long p99,
      long max,
      double cpuMsEach,
      double databaseCpuMsEach,
      double statementsEach,
      double commitsEach) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "burst of %d expiries at the same second: delay p50 %d ms, p99 %d ms, max %d ms; %.1f ms product "
              + "CPU per expiry%s%s",
          burst,
          p50,
          p99,
          max,
          cpuMsEach,
          databaseCpuMsEach > 0
              ? String.format(Locale.ROOT, ", %.1f ms PostgreSQL's", databaseCpuMsEach)
              : "",
          statementsEach >= 0
              ? String.format(
                  Locale.ROOT,
                  "; %.1f statements and %.1f commits per expiry (job threads, batches shared)",
                  statementsEach,
                  commitsEach)
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
    // the stored end moved with the timer, so that these are expiries (EXPIRED), as a burst of
    // grants ending at one second is, and may be revoked together (ExpiriesTogether)
    jdbc.update(
        "update access_request set expires_at = :at where id in (:ids)",
        new MapSqlParameterSource("ids", ids).addValue("at", at.atOffset(ZoneOffset.UTC)));
    ThreadCpu directoryCpu = ThreadCpu.ofThreadsNamed("LDAPListener client connection");
    StatementCounter.Snapshot sqlBefore = statements.snapshot();
    Cpu before = Cpu.now(os, others);
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
    // and until each instance has ended: a batch ends the grants of others, whose own timer and
    // revoke steps still run afterwards (finding nothing owed), and their work is the expiry's too
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from act_ru_execution where proc_inst_id_ in (:instances)",
                        new MapSqlParameterSource("instances", instances),
                        Integer.class)
                    == 0);
    Cpu after = Cpu.now(os, others);
    // what this node's job threads ran for the burst; with a second node, part ran there uncounted
    StatementCounter.Counts sql = statements.snapshot().since(sqlBefore, List.of(JOB_THREADS));
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
        "postgres".equals(System.getProperty("bench.database", "h2"))
            ? (after.postgresMs - before.postgresMs) / ids.size()
            : 0,
        others.isEmpty() ? (double) sql.statements() / ids.size() : -1,
        others.isEmpty() ? (double) sql.commits() / ids.size() : -1);
  }

  /** The steps of one request, each counted alone. */
  static final List<String> STEPS = List.of("create", "approve (bob)", "grant", "expiry");

  /** Statements and commits of each step of {@code samples} requests, one after another. */
  record Steps(int samples, Map<String, List<StatementCounter.Counts>> byStep, String background) {

    List<String> lines(int size) {
      List<String> lines = new ArrayList<>();
      long statementsInAll = 0;
      long commitsInAll = 0;
      for (String step : STEPS) {
        List<StatementCounter.Counts> each = byStep.get(step);
        long statements = median(each.stream().map(StatementCounter.Counts::statements).toList());
        long commits = median(each.stream().map(StatementCounter.Counts::commits).toList());
        statementsInAll += statements;
        commitsInAll += commits;
        lines.add(
            line(
                "  " + step,
                String.format(
                    Locale.ROOT,
                    "%d statements, %d commits (medians of %d; min-max %d-%d statements)",
                    statements,
                    commits,
                    each.size(),
                    each.stream().mapToLong(StatementCounter.Counts::statements).min().orElse(0),
                    each.stream().mapToLong(StatementCounter.Counts::statements).max().orElse(0))));
        if (Boolean.getBoolean("bench.sql")) {
          StatementCounter.Counts sum =
              each.stream().reduce(StatementCounter.Counts.NONE, StatementCounter.Counts::plus);
          sum.sql().entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(Integer.getInteger("bench.sql.top", 12))
              .forEach(
                  e ->
                      lines.add(
                          String.format(
                              Locale.ROOT,
                              "      %5.1f x %s",
                              (double) e.getValue() / each.size(),
                              e.getKey().length() > SQL_WIDTH
                                  ? e.getKey().substring(0, SQL_WIDTH) + "..."
                                  : e.getKey())));
        }
      }
      lines.add(
          0,
          line(
              "steps, " + size,
              String.format(
                  Locale.ROOT,
                  "SQL statements and commits of one request, end to end: %d statements, %d commits "
                      + "(request and job threads; job acquisition and the audit sealer apart)",
                  statementsInAll,
                  commitsInAll)));
      lines.add(line("  background", background));
      return lines;
    }
  }

  /**
   * One request after another, each step counted alone: the create (and any job it leaves), bob's
   * approval (his HTTP call), the grant (the jobs the approval leaves, until ACTIVE) and the expiry
   * (its timer moved to now, until the revoke's commit and no job left). Between two steps no job
   * of the instance is due, so the counts of the request and job threads are the step's own.
   */
  private Steps steps(HttpLoad http, ConfigurableApplicationContext node, List<String> people) {
    ManagementService management = node.getBean(ManagementService.class);
    NamedParameterJdbcTemplate jdbc = node.getBean(NamedParameterJdbcTemplate.class);
    Map<String, List<StatementCounter.Counts>> byStep = new LinkedHashMap<>();
    STEPS.forEach(step -> byStep.put(step, new ArrayList<>()));
    StatementCounter.Snapshot first = statements.snapshot();
    long begun = System.nanoTime();
    for (String who : people) {
      StatementCounter.Snapshot s0 = statements.snapshot();
      Answer created =
          http.send(
              Call.post(
                  who,
                  "/api/access-requests",
                  "{\"resource\":\""
                      + RESOURCE
                      + "\",\"duration\":\"PT8H\",\"justification\":\"benchmark\"}"));
      if (created.status() != 201) {
        throw new IllegalStateException(created.status() + " " + created.body());
      }
      String id = field(created.body(), "id");
      String instance =
          jdbc.queryForObject(
              "select process_instance_id from access_request where id = :id",
              new MapSqlParameterSource("id", id),
              String.class);
      awaitNoDueJob(management, instance);
      StatementCounter.Snapshot s1 = statements.snapshot();
      Answer approved =
          http.send(Call.post(APPROVER, "/api/access-requests/" + id + "/approve", "{}"));
      if (approved.status() != 200) {
        throw new IllegalStateException(approved.status() + " " + approved.body());
      }
      awaitStatus(jdbc, id, "ACTIVE");
      awaitNoDueJob(management, instance);
      StatementCounter.Snapshot s2 = statements.snapshot();
      Job timer = management.createJobQuery().processInstanceId(instance).timers().singleResult();
      management.setJobDuedate(timer.getId(), new Date());
      awaitStatus(jdbc, id, "REVOKED");
      awaitNoDueJob(management, instance);
      StatementCounter.Snapshot s3 = statements.snapshot();
      byStep.get("create").add(s1.since(s0, STEP_THREADS));
      byStep.get("approve (bob)").add(s2.since(s1, List.of(STEP_THREADS.get(0))));
      byStep.get("grant").add(s2.since(s1, List.of(STEP_THREADS.get(1))));
      byStep.get("expiry").add(s3.since(s2, STEP_THREADS));
    }
    double seconds = (System.nanoTime() - begun) / 1e9;
    StringBuilder background = new StringBuilder();
    statements.snapshot().othersSince(first, STEP_THREADS).entrySet().stream()
        .filter(e -> BENCHMARK_THREADS.stream().noneMatch(e.getKey()::startsWith))
        .forEach(
            e ->
                background.append(
                    String.format(
                        Locale.ROOT,
                        "%s%s %.1f statements/s, %.1f commits/s",
                        background.isEmpty() ? "" : "; ",
                        e.getKey(),
                        e.getValue().statements() / seconds,
                        e.getValue().commits() / seconds)));
    return new Steps(people.size(), byStep, background.toString());
  }

  private static void awaitStatus(NamedParameterJdbcTemplate jdbc, String id, String status) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                jdbc.queryForObject(
                    "select status from access_request where id = :id",
                    new MapSqlParameterSource("id", id),
                    String.class),
            status::equals);
  }

  /** No job of the instance due or running (a timer hours ahead may wait). */
  private static void awaitNoDueJob(ManagementService management, String instance) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                management.createJobQuery().processInstanceId(instance).list().stream()
                    .noneMatch(j -> j.getDuedate() == null || !j.getDuedate().after(new Date())));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }

  private static boolean clientsDone(List<Future<?>> work) {
    return work.stream().allMatch(Future::isDone);
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
