package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldif.LDIFReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product killed with SIGKILL at chosen moments and started again, as an operator's worst day
 * would have it. The product runs in a child JVM (this JVM's classpath, {@code
 * PortcullisApplication}, its default H2 file database under the child's working directory {@code
 * ./data}, kept across the kills); the directory is an UnboundID server in this JVM, seeded with
 * the demo organisation, so it keeps its state across the kills, and it is where the kill points
 * are chosen: it can hold the answer to a grant's or revoke's write (applied, not yet answered) or
 * refuse a write before applying it, until the child is dead. No hook in the product.
 *
 * <p>Kill points, one after the other on the same database and directory:
 *
 * <ol>
 *   <li>right after the last of a batch of approvals answered 200, with their grants in flight (a
 *       commit the client was told of must survive: the embedded database's durability);
 *   <li>after a grant's write reached the directory and before its step committed, and at once, for
 *       another request, between its standing-access check (committed) and its grant's write;
 *   <li>during a burst of expiries, at once: after one request's revoke's write and before its
 *       commit, and after a revoke shared by several requests (expiries due together on one group
 *       are revoked in one modify, {@code ExpiriesTogether}) and before its commit, others in
 *       flight.
 * </ol>
 *
 * The directory counts every member value a write adds or removes, so a shared revoke counts once
 * for each person it removed, and a trap holds a write whatever number of people it names: a kill
 * in the middle of a batch must leave nothing granted and nothing removed twice.
 *
 * <p>Afterwards every request is EXPIRED, each person was added to the group at most once and
 * removed as often as added (a grant in flight at a kill whose time, counted from its first
 * attempt, ran out during the restart is ended by its expiry through the revoke, never confirmed),
 * no one is left in the group, the audit trail verifies, and no incident is open. The child runs
 * with a 15-minute job lock time, so work that resumes sooner than that was released by the
 * restarted node itself (it keeps its node name); the test asserts it resumes within a minute of
 * the restart.
 *
 * <p>Fewer people than the 40 per kill point (6 to 8): enough to have several grants or
 * revokes in flight at each kill, while the four starts of the product keep the test near a minute
 * on an idle machine.
 */
class CrashRecoveryTest {

  static final String BASE = "dc=portcullis,dc=demo";
  static final String STAGING = "cn=staging-db-admin,ou=groups," + BASE;
  static final String ADMIN_DN = "cn=admin," + BASE;
  static final String ADMIN_PASSWORD = "admin-demo";
  static final String NODE = "crash-test-node";

  /** Work resumes after a restart within this: far below the child's 15-minute lock time. */
  static final Duration RESUMES_WITHIN = Duration.ofSeconds(60);

  static final Duration STARTUP = Duration.ofMinutes(5);

  @TempDir Path work;
  InMemoryDirectoryServer directory;
  final Writes writes = new Writes();
  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  Child child;
  int starts;

  @BeforeEach
  void startDirectory() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.addAdditionalBindCredentials(ADMIN_DN, ADMIN_PASSWORD);
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
    config.addInMemoryOperationInterceptor(writes);
    directory = new InMemoryDirectoryServer(config);
    try (InputStream ldif = getClass().getResourceAsStream("/demo/organisation.ldif")) {
      directory.importFromLDIF(true, new LDIFReader(ldif));
    }
    directory.startListening();
  }

  @AfterEach
  void stopAll() {
    if (child != null) {
      child.kill();
    }
    writes.releaseAll();
    directory.shutDown(true);
  }

  @Test
  void killedAtChosenMoments_everyRequestEndsRightAndNothingIsLeftBehind() throws Exception {
    Map<String, String> requestOf = new LinkedHashMap<>(); // person -> request id

    // 1. the scenario: a batch approved four at a time, the product killed right after the
    // last 200
    List<String> batchA = people("crasha", 8);
    // a short claim to the node's name: the restart after this kill does not wait out a 10 s claim
    child = startChild(Child.SHORT_CLAIM);
    requestOf.putAll(ask(batchA, "PT5S"));
    approveAll(batchA, requestOf, true);
    child.kill();

    // the default claim on this start: the restart after the next kill waits for it to lapse, time
    // in
    // which a held grant's time runs out
    child = startChild();
    Instant restarted = Instant.now();
    for (String person : batchA) {
      JsonNode request = get("bob", "/api/access-requests/" + requestOf.get(person));
      assertThat(request.get("decisions"))
          .as("%s: bob's approval answered 200, so it is on record", person)
          .hasSize(1);
    }
    assertThat(get("dave", "/engine-rest/task/count").get("count").asInt())
        .as("approval tasks open again")
        .isZero();
    awaitStatus(batchA, requestOf, "EXPIRED");

    // 2. one grant killed after its write reached the directory and before its commit; at the same
    // moment
    //    another request between its committed check and its grant's write
    List<String> batchB = people("crashb", 6);
    writes.arm(Trap.refuseAdd(), Trap.holdAddAnswer());
    requestOf.putAll(ask(batchB, "PT5S"));
    approveAll(batchB, requestOf, false);
    writes.awaitTrapsReached(Duration.ofMinutes(2));
    String heldBeforeWrite = writes.trapped(0).get(0);
    String heldAfterWrite = writes.trapped(1).get(0);
    assertThat(directory.getEntry(STAGING).hasAttributeValue("member", personDn(heldAfterWrite)))
        .as("the held grant's write reached the directory")
        .isTrue();
    child.kill();
    writes.releaseAll();

    // a short claim again: the last restart has nothing to wait for
    child = startChild(Child.SHORT_CLAIM);
    restarted = Instant.now();
    awaitStatus(batchB, requestOf, "EXPIRED");
    for (String held : List.of(heldBeforeWrite, heldAfterWrite)) {
      // confirmed by the retry, or, when the restart outlasted its time (counted from its first
      // attempt, before
      // the kill), ended by the expiry through the revoke before the retry confirmed it
      JsonNode request = get("frank", "/api/access-requests/" + requestOf.get(held));
      Instant resumedAt =
          Instant.parse(
              request.get(request.get("grantedAt").isNull() ? "endedAt" : "grantedAt").asText());
      System.out.println(
          "crash test: "
              + held
              + "'s grant, held when the process was killed, "
              + (request.get("grantedAt").isNull() ? "expired unconfirmed " : "done ")
              + Duration.between(restarted, resumedAt).toMillis()
              + " ms after the restart");
      assertThat(Duration.between(restarted, resumedAt))
          .as("%s's grant resumed after the restart", held)
          .isLessThan(RESUMES_WITHIN);
    }

    // 3. a burst of expiries, killed after one request's revoke's write and after a revoke shared
    // by several requests, each before its commit. The burst's requests share a scheduled start, so
    // their ends are the same instant (a scheduled request's time counts from its start): more of
    // them come due at once than the job executor runs at once, so the first revoke to run takes
    // the others left waiting into one modify. The one other request ends seconds before them, with
    // no other end near it: its revoke is its own.
    List<String> single = people("crashc", 1);
    List<String> batchD = people("crashd", 8);
    writes.arm(Trap.holdRemoveAnswer(1), Trap.holdRemoveAnswer(2));
    requestOf.putAll(ask(single, "PT3S", null));
    // their start, 5 s from now, leaves a loaded machine time for the asks and the approvals: one
    // approved after it would be refused at its start. Their end, 10 s later, leaves the grants at
    // the start time to finish, and lies seconds from the single one's end (the batch window is 2
    // s)
    requestOf.putAll(ask(batchD, "PT10S", Instant.now().plusSeconds(5)));
    List<String> burst = new ArrayList<>(single);
    burst.addAll(batchD);
    approveAll(burst, requestOf, false);
    writes.awaitTrapsReached(Duration.ofMinutes(2));
    List<String> heldRevokes = new ArrayList<>(writes.trapped(0));
    heldRevokes.addAll(writes.trapped(1));
    assertThat(writes.trapped(1)).as("the shared revoke held").hasSizeGreaterThan(1);
    System.out.println(
        "crash test: killed holding the answers to "
            + writes.trapped(0)
            + "'s revoke and to the revoke shared by "
            + writes.trapped(1));
    for (String held : heldRevokes) {
      assertThat(directory.getEntry(STAGING).hasAttributeValue("member", personDn(held)))
          .as("the held revoke's write took %s out of the directory", held)
          .isFalse();
    }
    child.kill();
    writes.releaseAll();

    child = startChild();
    restarted = Instant.now();
    awaitStatus(burst, requestOf, "EXPIRED");
    for (String held : heldRevokes) {
      Instant revokedAt =
          Instant.parse(
              get("frank", "/api/access-requests/" + requestOf.get(held)).get("endedAt").asText());
      assertThat(Duration.between(restarted, revokedAt))
          .as("%s's revoke resumed after the restart", held)
          .isLessThan(RESUMES_WITHIN);
    }
    Set<String> ends = new HashSet<>();
    for (String person : batchD) {
      ends.add(
          get("frank", "/api/access-requests/" + requestOf.get(person)).get("expiresAt").asText());
    }
    assertThat(ends).as("the burst's ends, counted from their shared start").hasSize(1);

    // afterwards: every request in its end state, every access granted at most once and removed as
    // often as it
    // was added, nothing left. A grant in flight at a kill whose time (counted from its first
    // attempt) ran out
    // during the restart is never confirmed: its expiry ends it through the revoke, whatever
    // reached the directory
    int unconfirmed = 0;
    for (Map.Entry<String, String> e : requestOf.entrySet()) {
      String person = e.getKey();
      JsonNode request = get("frank", "/api/access-requests/" + e.getValue());
      assertThat(request.get("status").asText()).as("%s's request", person).isEqualTo("EXPIRED");
      List<String> actions =
          get("frank", "/api/audit?requestId=" + e.getValue() + "&size=100")
              .get("items")
              .findValuesAsText("action");
      long granted = actions.stream().filter(a -> a.equals("access.granted")).count();
      assertThat(granted).as("%s's grants", person).isBetween(0L, 1L);
      assertThat(request.get("grantedAt").isNull())
          .as("%s's grantedAt", person)
          .isEqualTo(granted == 0);
      assertThat(actions)
          .as("%s's audit events", person)
          .filteredOn(a -> a.equals("access.expired"))
          .hasSize(1);
      // confirmed: added once; never confirmed: added once (a write that reached the directory) or
      // never
      assertThat(writes.added(person))
          .as("times %s was added to the group", person)
          .isBetween((int) granted, 1);
      assertThat(writes.removed(person))
          .as("times %s was removed from the group", person)
          .isEqualTo(writes.added(person));
      unconfirmed += granted == 0 ? 1 : 0;
    }
    assertThat(directory.getEntry(STAGING).getAttributeValues("member"))
        .as("members of staging-db-admin")
        .containsExactly("cn=empty-group-placeholder," + BASE);
    JsonNode verification = get("frank", "/api/audit/verify");
    assertThat(verification.get("valid").asBoolean()).as("audit trail: %s", verification).isTrue();
    assertLogCopyAgreesWithTheTrail();
    assertThat(get("dave", "/engine-rest/incident/count").get("count").asInt())
        .as("open incidents")
        .isZero();
    assertThat(get("dave", "/engine-rest/job?withException=true").size())
        .as("jobs that failed")
        .isZero();
    System.out.println(
        "crash test: "
            + requestOf.size()
            + " requests ("
            + unconfirmed
            + " expired before their grant was confirmed), "
            + starts
            + " starts of the product, "
            + writes.log.size()
            + " writes to the group");
  }

  // --- the people and their requests

  private List<String> people(String prefix, int n) throws LDAPException {
    List<String> names =
        IntStream.rangeClosed(1, n).mapToObj(i -> String.format("%s%02d", prefix, i)).toList();
    for (String name : names) {
      directory.add(
          new Entry(
              personDn(name),
              new Attribute(
                  "objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
              new Attribute("uid", name),
              new Attribute("cn", name),
              new Attribute("sn", name),
              new Attribute("userPassword", name + "-demo")));
    }
    return names;
  }

  private Map<String, String> ask(List<String> people, String duration) throws Exception {
    return ask(people, duration, null);
  }

  /** Each asks for the group for this long, from approval or, with {@code startAt}, from then. */
  private Map<String, String> ask(List<String> people, String duration, Instant startAt)
      throws Exception {
    Map<String, String> body =
        new LinkedHashMap<>(
            Map.of(
                "resource",
                "staging-db-admin",
                "duration",
                duration,
                "justification",
                "crash test",
                "ticket",
                "OPS-16"));
    if (startAt != null) {
      body.put("startAt", startAt.toString());
    }
    Map<String, String> ids = new LinkedHashMap<>();
    for (String person : people) {
      HttpResponse<String> created = send(person, "POST", "/api/access-requests", body);
      assertThat(created.statusCode()).as("%s asks: %s", person, created.body()).isEqualTo(201);
      ids.put(person, json.readTree(created.body()).get("id").asText());
    }
    return ids;
  }

  /**
   * Bob approves them all, four at a time, as in the issue; returns when the last has answered 200.
   * With {@code thenKill}, the thread that receives the last 200 kills the product at once, a few
   * milliseconds after that approval's commit: a commit kept only in memory would be lost.
   */
  private void approveAll(List<String> people, Map<String, String> requestOf, boolean thenKill)
      throws Exception {
    Semaphore fourAtATime = new Semaphore(4);
    AtomicInteger unanswered = new AtomicInteger(people.size());
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (String person : people) {
      fourAtATime.acquire();
      answers.add(
          http.sendAsync(
                  request(
                      "bob",
                      "POST",
                      "/api/access-requests/" + requestOf.get(person) + "/approve",
                      Map.of("comment", "crash test")),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (answer, failure) -> {
                    fourAtATime.release();
                    if (thenKill && unanswered.decrementAndGet() == 0) {
                      child.process.destroyForcibly();
                    }
                  }));
    }
    for (int i = 0; i < people.size(); i++) {
      HttpResponse<String> answer = answers.get(i).get(2, TimeUnit.MINUTES);
      assertThat(answer.statusCode())
          .as("bob approves %s: %s", people.get(i), answer.body())
          .isEqualTo(200);
    }
  }

  private void awaitStatus(List<String> people, Map<String, String> requestOf, String status) {
    await()
        .atMost(RESUMES_WITHIN.plus(Duration.ofSeconds(60)))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              for (String person : people) {
                assertThat(
                        get("frank", "/api/access-requests/" + requestOf.get(person))
                            .get("status")
                            .asText())
                    .as("%s's request", person)
                    .isEqualTo(status);
              }
            });
  }

  private static String personDn(String name) {
    return "uid=" + name + ",ou=people," + BASE;
  }

  // --- HTTP, as the demo people

  private JsonNode get(String user, String path) throws Exception {
    HttpResponse<String> answer = send(user, "GET", path, null);
    assertThat(answer.statusCode())
        .as("GET %s as %s: %s", path, user, answer.body())
        .isEqualTo(200);
    return json.readTree(answer.body());
  }

  private HttpResponse<String> send(
      String user, String method, String path, Map<String, String> body) throws Exception {
    return http.send(request(user, method, path, body), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String user, String method, String path, Map<String, String> body)
      throws Exception {
    return request(child.port, json, user, method, path, body);
  }

  /**
   * A call to the child as a demo person (HTTP Basic with the demo password), with a JSON body or
   * none.
   */
  static HttpRequest request(
      int port,
      ObjectMapper json,
      String user,
      String method,
      String path,
      Map<String, String> body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofMinutes(2))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (user + ":" + user + "-demo").getBytes(StandardCharsets.UTF_8)))
            .header("Accept", "application/json");
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    }
    return request.build();
  }

  /**
   * The SIEM copy of the trail, the portcullis.audit lines in the log of every start of the
   * product, killed or not, claims nothing that the database does not hold: the offline verifier,
   * as an auditor runs it, checks the copy against an export (issue 16: a crash must not look like
   * tampering).
   */
  private void assertLogCopyAgreesWithTheTrail() throws Exception {
    Path export = work.resolve("export.jsonl");
    Files.writeString(export, download("/api/audit/export?format=jsonl"));
    Path key = work.resolve("public-key.b64");
    Files.writeString(key, download("/api/audit/public-key"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "tools/VerifyAuditExport.java",
                export.toString(),
                key.toString()));
    for (int start = 1; start <= starts; start++) {
      command.addAll(List.of("--log", work.resolve("child-" + start + ".log").toString()));
    }
    Process verifier = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(verifier.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verifier.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(verifier.exitValue())
        .as("the verifier on the export and the log copies:%n%s", output)
        .isZero();
    System.out.println(
        "crash test, log copy against the trail: " + output.lines().reduce((a, b) -> b).orElse(""));
  }

  /** What an auditor downloads (frank): the export, the key; any type, not JSON. */
  private String download(String path) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port + path))
                .timeout(Duration.ofMinutes(2))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString("frank:frank-demo".getBytes(StandardCharsets.UTF_8)))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
    return answer.body();
  }

  // --- the product in a child JVM

  private Child startChild() throws Exception {
    return startChild(List.of());
  }

  /** With these arguments too, such as {@link Child#SHORT_CLAIM}. */
  private Child startChild(List<String> more) throws Exception {
    starts++;
    Child started = new Child(work, directory.getListenPort(), starts, more);
    started.awaitReady();
    return started;
  }

  /**
   * The product, as {@code java -cp <this JVM's classpath> PortcullisApplication}, in the working
   * directory {@code work}.
   */
  static final class Child {

    /**
     * A claim to the node's name of 2 s (renewed every 400 ms) instead of the default 10 s: a start
     * after a kill waits until the killed start's claim has lapsed, which a claim of 2 s has by the
     * time the next JVM asks for it. This test keeps the default on the start killed with grants
     * held (its second): that restart's wait is what lets a held grant's time run out during the
     * restart, its only run of that path after a real kill.
     */
    static final List<String> SHORT_CLAIM = List.of("--portcullis.jobs.node-lease=PT2S");

    final Process process;
    final int port;
    final Path log;

    Child(Path work, int ldapPort, int start) throws IOException {
      this(work, ldapPort, start, List.of());
    }

    /**
     * With these arguments too, such as a shorter claim to the node's name ({@link #SHORT_CLAIM}).
     */
    Child(Path work, int ldapPort, int start, List<String> more) throws IOException {
      this.port = freePort();
      this.log = work.resolve("child-" + start + ".log");
      String classpath =
          Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
              .filter(entry -> !entry.endsWith("test-classes") && !entry.contains("surefire"))
              .collect(Collectors.joining(File.pathSeparator));
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xmx512m",
                  "-cp",
                  classpath,
                  "io.portcullis.PortcullisApplication",
                  "--server.port=" + port,
                  // the directory in the test JVM instead of the embedded demo one
                  "--spring.autoconfigure.exclude=io.portcullis.demo.DemoDirectoryAutoConfiguration",
                  "--spring.ldap.urls=ldap://127.0.0.1:" + ldapPort,
                  "--spring.ldap.username=" + ADMIN_DN,
                  "--spring.ldap.password=" + ADMIN_PASSWORD,
                  // a held write must not time out before the kill
                  "--portcullis.directory.read-timeout=120s",
                  // the same node name on every start; a lock time so long that only the restart's
                  // release explains a quick takeover
                  "--portcullis.jobs.node-name=" + NODE,
                  "--camunda.bpm.job-execution.lock-time-in-millis=900000",
                  "--portcullis.requests.min-duration=PT1S",
                  "--spring.main.banner-mode=off"));
      command.addAll(more);
      this.process =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
              .start();
    }

    void awaitReady() {
      try {
        await()
            .atMost(STARTUP)
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(
                () -> {
                  if (!process.isAlive()) {
                    throw new AssertionError("the product ended on start:\n" + tail());
                  }
                  return Files.readString(log).contains("Started PortcullisApplication");
                });
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("the product did not start within " + STARTUP + ":\n" + tail(), e);
      }
    }

    /** SIGKILL on Linux: no shutdown hook, no last flush. */
    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String tail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }

  // --- the directory's side: what was written to the group, and where the child is stopped

  /**
   * Where a write to the group is stopped until the child is dead: the first write of this type
   * that names {@code people} members (one request's grant or revoke: 1; a revoke shared by
   * several: 2 or more), after letting {@code skip} such writes through.
   */
  record Trap(ModificationType type, boolean afterApplying, int skip, int people) {

    /** A grant's write is refused, after holding it: the step dies before its side effect. */
    static Trap refuseAdd() {
      return new Trap(ModificationType.ADD, false, 0, 1);
    }

    /**
     * A grant's write is applied and its answer held: the step dies after its side effect, before
     * its commit.
     */
    static Trap holdAddAnswer() {
      return new Trap(ModificationType.ADD, true, 0, 1);
    }

    /**
     * The same for the first revoke that removes one person ({@code people} 1), or several at once
     * (2: a revoke shared by the expiries due together).
     */
    static Trap holdRemoveAnswer(int people) {
      return new Trap(ModificationType.DELETE, true, 0, people);
    }

    boolean matches(Writes.Change change, boolean applied) {
      return type == change.type()
          && afterApplying == applied
          && (people > 1 ? change.people().size() >= people : change.people().size() == people);
    }
  }

  /**
   * Counts the additions and removals of members to the group that the directory applied, one for
   * each person a write names (a shared revoke removes several), and springs traps.
   */
  static final class Writes extends InMemoryOperationInterceptor {

    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> added = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> removed = new ConcurrentHashMap<>();
    private volatile List<Trap> traps = List.of();
    private volatile List<AtomicBoolean> sprung = List.of();
    private volatile List<AtomicInteger> seen = List.of();
    private final List<List<String>> trapped =
        Collections.synchronizedList(new ArrayList<>(List.of(List.of(), List.of(), List.of())));
    private volatile CountDownLatch reached = new CountDownLatch(0);
    private volatile CountDownLatch released = new CountDownLatch(0);

    void arm(Trap... armed) {
      released = new CountDownLatch(1);
      reached = new CountDownLatch(armed.length);
      sprung = Arrays.stream(armed).map(t -> new AtomicBoolean()).toList();
      seen = Arrays.stream(armed).map(t -> new AtomicInteger()).toList();
      traps = List.of(armed);
    }

    void awaitTrapsReached(Duration within) throws InterruptedException {
      assertThat(reached.await(within.toMillis(), TimeUnit.MILLISECONDS))
          .as("the product reached the kill points; writes: %s", log)
          .isTrue();
    }

    /** The people whose write the n-th trap holds. */
    List<String> trapped(int n) {
      return trapped.get(n);
    }

    void releaseAll() {
      traps = List.of();
      released.countDown();
    }

    int added(String person) {
      return added.getOrDefault(person, new AtomicInteger()).get();
    }

    int removed(String person) {
      return removed.getOrDefault(person, new AtomicInteger()).get();
    }

    @Override
    public void processModifyRequest(InMemoryInterceptedModifyRequest request)
        throws LDAPException {
      Change change = change(request.getRequest().getDN(), request.getRequest().getModifications());
      if (change != null && spring(change, false)) {
        throw new LDAPException(ResultCode.UNAVAILABLE, "the crash test refused this write");
      }
    }

    @Override
    public void processModifyResult(InMemoryInterceptedModifyResult result) {
      Change change = change(result.getRequest().getDN(), result.getRequest().getModifications());
      if (change == null || result.getResult().getResultCode() != ResultCode.SUCCESS) {
        return;
      }
      for (String person : change.people()) {
        (change.type() == ModificationType.ADD ? added : removed)
            .computeIfAbsent(person, p -> new AtomicInteger())
            .incrementAndGet();
      }
      log.add(change.type() + " " + String.join(" ", change.people()));
      spring(change, true);
    }

    /**
     * Holds this write until the child is dead when an armed trap matches it; true if it held it.
     */
    private boolean spring(Change change, boolean afterApplying) {
      List<Trap> armed = traps;
      for (int i = 0; i < armed.size(); i++) {
        Trap trap = armed.get(i);
        if (trap.matches(change, afterApplying)
            && seen.get(i).getAndIncrement() >= trap.skip()
            && sprung.get(i).compareAndSet(false, true)) {
          trapped.set(i, change.people());
          log.add(
              "held "
                  + (afterApplying ? "the answer to " : "")
                  + change.type()
                  + " "
                  + String.join(" ", change.people()));
          reached.countDown();
          try {
            released.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return true;
        }
      }
      return false;
    }

    private static Change change(String dn, List<Modification> modifications) {
      try {
        if (!new DN(dn).equals(new DN(STAGING))) {
          return null;
        }
        for (Modification m : modifications) {
          if (m.getAttributeName().equalsIgnoreCase("member") && m.getValues().length > 0) {
            List<String> people = new ArrayList<>();
            for (String value : m.getValues()) {
              people.add(new DN(value).getRDN().getAttributeValues()[0]);
            }
            return new Change(m.getModificationType(), List.copyOf(people));
          }
        }
        return null;
      } catch (LDAPException e) {
        return null;
      }
    }

    /**
     * A write of the group's members: one person's grant or revoke, or a revoke shared by several.
     */
    record Change(ModificationType type, List<String> people) {}
  }
}
