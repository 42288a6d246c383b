package io.portcullis.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import io.portcullis.PortcullisApplication;
import io.portcullis.audit.AuditVerification;
import io.portcullis.audit.AuditVerifier;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.support.HttpLoad;
import io.portcullis.support.HttpLoad.Answer;
import io.portcullis.support.HttpLoad.Call;
import io.portcullis.support.LdapConnections;
import io.portcullis.support.LoadPeople;
import io.portcullis.support.ThreadCpu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * The load benchmark of issue 14: the product started whole (embedded directory, job executor on, the
 * pool and thread sizes of application.yml), driven over REST only, as a burst of people would.
 *
 * <ol>
 *   <li><b>Throughput</b>: {@code bench.requesters} distinct people (default 300) each ask for {@value
 *       #RESOURCE}; bob approves; each is followed until ACTIVE. {@code bench.threads} client threads
 *       (default 8). Prints requests per second from the first create to the last ACTIVE, latency
 *       percentiles of create, approve and create-to-ACTIVE, and the product's CPU per request (the
 *       JVM's process CPU time, less the CPU of the client threads, which run in the same JVM).
 *   <li><b>Expiry</b>: for each size in {@code bench.sizes} (default 1000; the issue asks for
 *       1000,10000,100000), the active grants are topped up to that size (long grants, over REST as
 *       above), then {@code bench.burst} of them (default 300) are made to expire at the same second (their
 *       expiry timers moved with the engine's management API, as an operator could) and the delay from
 *       that second to each revoke's commit ({@code endedAt}) is printed: p50, p99, max.
 * </ol>
 * Then how each figure grows from one size to the next, and whether the audit trail still verifies.
 *
 * <p>Not a test: it prints figures and asserts nothing about speed. Run it with
 * {@code ./mvnw -B -Pbench test -Dtest=LoadBenchmark}. The database is {@code bench.datasource.url}
 * (with {@code bench.datasource.username}/{@code password}; default a new H2 file with the settings of
 * application.yml, the embedded stack as it ships), so the same command
 * runs on PostgreSQL. {@code bench.nodes} is the hook for two nodes: each node is another copy of the
 * product on the same database; they need a directory they share, so more than one node is refused
 * until the directory can be external ({@code bench.ldap.url}, not built yet).
 */
@Tag("benchmark")
class LoadBenchmark {

  static final String RESOURCE = "staging-db-admin";
  static final String APPROVER = "bob";

  final ObjectMapper json = new ObjectMapper();
  final ThreadMXBean threadsMx = ManagementFactory.getThreadMXBean();
  final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @Test
  void throughputAndExpiry() throws Exception {
    int requesters = Integer.getInteger("bench.requesters", 300);
    int clientThreads = Integer.getInteger("bench.threads", 8);
    int burst = Integer.getInteger("bench.burst", 300);
    List<Integer> sizes = new ArrayList<>();
    for (String s : System.getProperty("bench.sizes", "1000").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    int nodes = Integer.getInteger("bench.nodes", 1);
    if (nodes != 1) {
      throw new IllegalArgumentException("bench.nodes=" + nodes + ": two nodes need a directory they share (bench.ldap.url), not built yet");
    }
    int people = Math.max(requesters, Collections.max(sizes)) + Math.max(burst, Integer.getInteger("bench.warmup", 100));

    try (ConfigurableApplicationContext node = start()) {
      int port = ((WebServerApplicationContext) node).getWebServer().getPort();
      InMemoryDirectoryServer directory = node.getBean(InMemoryDirectoryServer.class);
      List<String> names = LoadPeople.add(directory, node.getBean(DirectoryProperties.class).peopleDn(), people);
      HttpLoad http = new HttpLoad(port);
      NamedParameterJdbcTemplate jdbc = node.getBean(NamedParameterJdbcTemplate.class);
      Map<String, String> report = new LinkedHashMap<>();

      // warm-up: the first requests load classes, fill caches and get the hot paths compiled; not measured
      int warmUp = Integer.getInteger("bench.warmup", 100);
      Round warm = round(http, names.subList(people - warmUp, people), clientThreads, "PT8H");
      report.put("warm-up", warm.requests + " requests");

      long ldapBefore = LdapConnections.acceptedSoFar(directory);
      Round main = round(http, names.subList(0, requesters), clientThreads, "PT8H");
      long ldapOpened = LdapConnections.acceptedSoFar(directory) - ldapBefore;
      report.put("throughput", String.format(Locale.ROOT, "%d requesters, %d client threads: %.1f requests/s create -> approve -> ACTIVE "
          + "(%d in %.1f s)", requesters, clientThreads, main.perSecond(), main.requests, main.wallSeconds()));
      report.put("create latency", figures(main.create));
      report.put("approve latency", figures(main.approve));
      report.put("create to ACTIVE", figures(main.toActive));
      report.put("CPU per request", String.format(Locale.ROOT, "%.1f ms product CPU (%.1f ms process, less %.1f ms of the client's "
          + "threads and %.1f ms of the embedded directory's, which stands in for the company's LDAP server)",
          main.productCpuMs() / main.requests, main.processCpuMs / main.requests, main.clientCpuMs / main.requests,
          main.directoryCpuMs / main.requests));
      report.put("LDAP connections", String.format(Locale.ROOT, "%d opened for %d requests (%.2f per request, each request "
          + "being a create, an approval and the polls to ACTIVE)", ldapOpened, main.requests, (double) ldapOpened / main.requests));

      int active = requesters + warm.requests;
      int next = requesters;
      List<Expiry> expiries = new ArrayList<>();
      for (int size : sizes) {
        if (size > active) {
          int fill = size - active;
          Round filler = round(http, names.subList(next, next + fill), clientThreads, "PT8H");
          next += fill;
          active += filler.requests;
        }
        Expiry e = expireAtOnce(node, jdbc, burst, active);
        expiries.add(e);
        active -= burst;
        report.put("expiry, " + size + " active", e.toString());
      }
      for (int i = 1; i < expiries.size(); i++) {
        Expiry a = expiries.get(i - 1);
        Expiry b = expiries.get(i);
        report.put("growth " + a.activeGrants + " -> " + b.activeGrants + " active", String.format(Locale.ROOT,
            "expiry p50 x%.2f, p99 x%.2f, max x%.2f", ratio(b.p50, a.p50), ratio(b.p99, a.p99), ratio(b.max, a.max)));
      }

      // every event sealed, then verified: the benchmark's work leaves one whole, valid chain
      AuditVerifier verifier = node.getBean(AuditVerifier.class);
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> verifier.verify().eventsPending() == 0);
      AuditVerification verification = verifier.verify();
      report.put("audit trail", verification.valid() ? "valid, " + verification.eventsChecked() + " events, none pending"
          : "INVALID at " + verification.firstBadSeq() + ": " + verification.reason());

      System.out.println();
      System.out.println("=== Load benchmark: one node, " + describe(node) + ", " + Runtime.getRuntime().availableProcessors()
          + " cores, machine load average " + os.getSystemLoadAverage() + " at the end ===");
      report.forEach((k, v) -> System.out.printf("%-28s %s%n", k, v));
      System.out.println();
    }
  }

  private ConfigurableApplicationContext start() {
    // the job executor and the audit sealer run as in the product (the test profile turns both off)
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--camunda.bpm.job-execution.enabled=true",
        "--portcullis.audit.sealer.enabled=true",
        "--portcullis.requests.min-duration=PT1S",
        "--spring.datasource.url=" + System.getProperty("bench.datasource.url", embeddedDatabase())));
    if (System.getProperty("bench.datasource.username") != null) {
      args.add("--spring.datasource.username=" + System.getProperty("bench.datasource.username"));
      args.add("--spring.datasource.password=" + System.getProperty("bench.datasource.password", ""));
    }
    return new SpringApplicationBuilder(PortcullisApplication.class).profiles("demo", "test").run(args.toArray(String[]::new));
  }

  /** The embedded stack as it ships: application.yml's H2 file URL, on a new file under target/. */
  static String embeddedDatabase() {
    return "jdbc:h2:file:./target/bench-h2/" + java.util.UUID.randomUUID() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=256";
  }

  private static String describe(ConfigurableApplicationContext node) {
    String url = node.getEnvironment().getProperty("spring.datasource.url", "");
    return url.startsWith("jdbc:h2") ? "H2" : url.replaceAll("//[^/]*@", "//");
  }

  /** What one round of requests took. */
  static final class Round {
    int requests;
    long wallNanos;
    double processCpuMs;
    double clientCpuMs;
    final List<Long> create = Collections.synchronizedList(new ArrayList<>());
    final List<Long> approve = Collections.synchronizedList(new ArrayList<>());
    final List<Long> toActive = Collections.synchronizedList(new ArrayList<>());

    double wallSeconds() {
      return wallNanos / 1e9;
    }

    double perSecond() {
      return requests / wallSeconds();
    }

    double directoryCpuMs;

    double productCpuMs() {
      return processCpuMs - clientCpuMs - directoryCpuMs;
    }
  }

  /** Every requester asks once; bob approves; each is polled until ACTIVE. */
  private Round round(HttpLoad http, List<String> requesters, int clientThreads, String duration) throws Exception {
    Round round = new Round();
    ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(requesters);
    AtomicLong clientCpu = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    List<String> firstFailures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clientThreads);
    ThreadCpu directoryCpu = ThreadCpu.ofThreadsNamed("LDAPListener client connection");
    long cpuBefore = os.getProcessCpuTime();
    long start = System.nanoTime();
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < clientThreads; t++) {
      work.add(pool.submit(() -> {
        long threadCpu = threadsMx.getCurrentThreadCpuTime();
        for (String next = queue.poll(); next != null; next = queue.poll()) {
          String who = next;
          long begun = System.nanoTime();
          Answer created = http.send(Call.post(who, "/api/access-requests",
              "{\"resource\":\"" + RESOURCE + "\",\"duration\":\"" + duration + "\",\"justification\":\"benchmark\"}"));
          if (created.status() != 201) {
            failures.incrementAndGet();
            firstFailures.add(created.status() + " " + created.body());
            continue;
          }
          round.create.add(created.took().toMillis());
          String id = field(created.body(), "id");
          Answer approved = http.send(Call.post(APPROVER, "/api/access-requests/" + id + "/approve", "{}"));
          if (approved.status() != 200) {
            failures.incrementAndGet();
            firstFailures.add(approved.status() + " " + approved.body());
            continue;
          }
          round.approve.add(approved.took().toMillis());
          await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
              .until(() -> field(http.send(Call.get(who, "/api/access-requests/" + id)).body(), "status"), "ACTIVE"::equals);
          round.toActive.add((System.nanoTime() - begun) / 1_000_000);
        }
        clientCpu.addAndGet(threadsMx.getCurrentThreadCpuTime() - threadCpu);
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    round.wallNanos = System.nanoTime() - start;
    round.processCpuMs = (os.getProcessCpuTime() - cpuBefore) / 1e6;
    round.clientCpuMs = clientCpu.get() / 1e6;
    round.directoryCpuMs = directoryCpu.millis();
    directoryCpu.close();
    round.requests = round.toActive.size();
    pool.shutdown();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " requests failed, first: " + firstFailures.subList(0, Math.min(3, firstFailures.size())));
    }
    return round;
  }

  /** Expiry delays of one burst. */
  record Expiry(int activeGrants, int burst, long p50, long p99, long max) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "burst of %d expiries at the same second: delay p50 %d ms, p99 %d ms, max %d ms", burst, p50, p99, max);
    }
  }

  /** Moves {@code burst} active grants' expiry timers to the same second, a few seconds ahead, and measures. */
  private Expiry expireAtOnce(ConfigurableApplicationContext node, NamedParameterJdbcTemplate jdbc, int burst, int active) {
    ManagementService management = node.getBean(ManagementService.class);
    List<Map<String, Object>> rows = jdbc.queryForList("select id, process_instance_id from access_request where status = 'ACTIVE' "
        + "order by requested_at fetch first " + burst + " rows only", new MapSqlParameterSource());
    Instant at = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Job timer = management.createJobQuery().processInstanceId((String) row.get("process_instance_id")).timers().singleResult();
      management.setJobDuedate(timer.getId(), Date.from(at));
      ids.add((String) row.get("id"));
    }
    // a timer fired before the expiresAt that Portcullis stored is a revoke made outside its API (DESIGN
    // rule 8), so these end REVOKED, not EXPIRED: the path from the due second to the revoke's commit, which
    // is what is measured, is the same
    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.queryForObject(
        "select count(*) from access_request where id in (:ids) and status in ('EXPIRED', 'REVOKED')",
        new MapSqlParameterSource("ids", ids), Integer.class) == ids.size());
    List<Long> delays = new ArrayList<>(jdbc.query("select ended_at from access_request where id in (:ids)",
        new MapSqlParameterSource("ids", ids),
        (rs, n) -> Duration.between(at, rs.getObject("ended_at", java.time.OffsetDateTime.class).toInstant()).toMillis()));
    Collections.sort(delays);
    return new Expiry(active, ids.size(), rank(delays, 50), rank(delays, 99), delays.get(delays.size() - 1));
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
    return String.format(Locale.ROOT, "p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (n=%d)", rank(sorted, 50), rank(sorted, 90),
        rank(sorted, 99), sorted.get(sorted.size() - 1), sorted.size());
  }

  private static double ratio(long b, long a) {
    return a == 0 ? Double.NaN : (double) b / a;
  }
}
