package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit API over HTTP, as auditors, admins and everyone else call it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
class AuditApiTest {

  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @Autowired TestRestTemplate anonymous;
  @Autowired AuditTrail trail;
  @Autowired AuditSealer sealer;
  @Autowired AuditKeys keys;
  @Autowired JdbcTemplate jdbc;
  @Autowired ObjectMapper json;
  @Autowired PlatformTransactionManager transactions;

  @BeforeEach
  void freshTrail() {
    AuditTables.reset(jdbc);
  }

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  TestRestTemplate frank() {
    return anonymous.withBasicAuth("frank", "frank-demo");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/audit",
        "/api/audit?size=5",
        "/api/audit/export",
        "/api/audit/export?format=csv",
        "/api/audit/verify",
        "/api/audit/public-key"
      })
  void onlyAuditorsAndAdminsGetIn(String path) throws Exception {
    ResponseEntity<String> nobody = anonymous.getForEntity(path, String.class);
    assertThat(nobody.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(nobody.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(json.readTree(nobody.getBody()).path("status").asInt()).isEqualTo(401);

    ResponseEntity<String> wrongPassword =
        anonymous.withBasicAuth("frank", "nope").getForEntity(path, String.class);
    assertThat(wrongPassword.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);

    ResponseEntity<String> developer =
        anonymous.withBasicAuth("alice", "alice-demo").getForEntity(path, String.class);
    assertThat(developer.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(developer.getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(json.readTree(developer.getBody()).path("status").asInt()).isEqualTo(403);

    assertThat(frank().getForEntity(path, String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(
            anonymous
                .withBasicAuth("dave", "dave-demo")
                .getForEntity(path, String.class)
                .getStatusCode())
        .isEqualTo(HttpStatus.OK);
  }

  @Test
  void searchFiltersAndPagesNewestFirst() throws Exception {
    at(T0);
    trail.record(
        AuditEvent.Draft.by("alice", AuditAction.ACCESS_REQUESTED)
            .subject("alice")
            .resource("staging-db-admin")
            .request("r-1", "pi-1"));
    at(T0.plusSeconds(60));
    trail.record(
        AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED)
            .subject("alice")
            .resource("staging-db-admin")
            .request("r-1", "pi-1")
            .detail("decision", "APPROVE"));
    at(T0.plusSeconds(120));
    trail.record(
        AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_GRANTED)
            .subject("alice")
            .resource("staging-db-admin")
            .request("r-1", "pi-1"));
    trail.record(
        AuditEvent.Draft.by("erin", AuditAction.ACCESS_REQUESTED)
            .subject("erin")
            .resource("prod-db-readonly")
            .request("r-2", "pi-2"));

    JsonNode recorded = get("/api/audit");
    assertThat(recorded.path("totalItems").asLong()).as("listed as soon as committed").isEqualTo(4);
    assertThat(recorded.path("items").get(0).path("seq").isNull()).as("not sealed yet").isTrue();
    assertThat(recorded.path("items").get(0).path("subject").asText()).isEqualTo("erin");
    sealer.seal();

    JsonNode all = get("/api/audit");
    assertThat(all.path("totalItems").asLong()).isEqualTo(4);
    assertThat(seqs(all)).containsExactly(4L, 3L, 2L, 1L);
    JsonNode decided = all.path("items").get(2);
    assertThat(decided.path("time").asText()).isEqualTo("2026-03-02T09:01:00.000Z");
    assertThat(decided.path("action").asText()).isEqualTo("access.decided");
    assertThat(decided.path("requestId").asText()).isEqualTo("r-1");
    assertThat(decided.path("processInstanceId").asText()).isEqualTo("pi-1");
    assertThat(decided.path("details").path("decision").asText()).isEqualTo("APPROVE");
    assertThat(decided.path("hash").asText()).hasSize(64);
    assertThat(decided.has("mac")).isFalse();

    assertThat(seqs(get("/api/audit?subject=alice"))).containsExactly(3L, 2L, 1L);
    assertThat(seqs(get("/api/audit?actor=bob"))).containsExactly(2L);
    assertThat(seqs(get("/api/audit?resource=prod-db-readonly"))).containsExactly(4L);
    assertThat(seqs(get("/api/audit?action=access.requested"))).containsExactly(4L, 1L);
    assertThat(seqs(get("/api/audit?requestId=r-1&action=access.granted"))).containsExactly(3L);
    assertThat(seqs(get("/api/audit?from=2026-03-02T09:01:00Z&to=2026-03-02T09:02:00Z")))
        .containsExactly(2L);
    JsonNode page = get("/api/audit?page=1&size=3");
    assertThat(seqs(page)).containsExactly(1L);
    assertThat(page.path("totalItems").asLong()).isEqualTo(4);
  }

  @Test
  void theJsonlExportHasAHeaderTheEventsAndTheirCheckpoints() throws Exception {
    at(T0);
    for (int i = 1; i <= 6; i++) {
      trail.record(
          AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED)
              .subject("user-" + i)
              .detail("stage", i));
      if (i == 4) {
        trail.checkpointNow();
      }
    }
    sealer.seal();
    ResponseEntity<String> response =
        frank().getForEntity("/api/audit/export?format=jsonl&fromSeq=2&toSeq=5", String.class);
    assertThat(response.getHeaders().getContentType().toString())
        .startsWith("application/x-ndjson");
    assertThat(response.getHeaders().getContentDisposition().getFilename())
        .isEqualTo("audit-2-5.jsonl");
    String[] lines = response.getBody().split("\n");
    assertThat(lines).hasSize(1 + 4 + 1);
    JsonNode header = json.readTree(lines[0]);
    assertThat(header.path("type").asText()).isEqualTo("header");
    assertThat(header.path("format").asText()).isEqualTo("portcullis-audit-export/1");
    assertThat(header.path("fromSeq").asLong()).isEqualTo(2);
    assertThat(header.path("toSeq").asLong()).isEqualTo(5);
    assertThat(header.path("startHash").asText())
        .isEqualTo(jdbc.queryForObject("select hash from audit_event where seq = 1", String.class));
    assertThat(header.path("genesisHash").asText()).isEqualTo(AuditChain.GENESIS_HASH);
    assertThat(header.path("publicKey").asText()).isEqualTo(keys.publicKeyBase64());
    assertThat(header.path("exportedAt").asText()).endsWith("Z");
    JsonNode event = json.readTree(lines[1]);
    assertThat(event.path("type").asText()).isEqualTo("event");
    assertThat(event.path("seq").asLong()).isEqualTo(2);
    assertThat(event.path("time").asText()).isEqualTo("2026-03-02T09:00:00.000Z");
    assertThat(event.path("details").path("stage").asInt()).isEqualTo(2);
    assertThat(event.has("prevHash")).isTrue();
    assertThat(event.has("mac")).isFalse();
    JsonNode checkpoint = json.readTree(lines[5]);
    assertThat(checkpoint.path("type").asText()).isEqualTo("checkpoint");
    assertThat(checkpoint.path("seq").asLong()).isEqualTo(4);
    assertThat(checkpoint.path("hash").asText())
        .isEqualTo(json.readTree(lines[3]).path("hash").asText());
  }

  @Test
  void theCsvExportQuotesAsRfc4180() {
    trail.record(
        AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED)
            .subject("alice")
            .detail("comment", "fine, \"as asked\"\nsee ticket")
            .detail("formula", "=1+1"));
    trail.record(AuditEvent.Draft.by("=cmd|' /C calc'!A0", AuditAction.ACTION_REFUSED));
    trail.checkpointNow();
    ResponseEntity<String> response =
        frank().getForEntity("/api/audit/export?format=csv", String.class);
    assertThat(response.getHeaders().getContentType().toString()).startsWith("text/csv");
    String body = response.getBody();
    assertThat(body)
        .startsWith(
            "seq,time,actor,action,subject,resource,requestId,processInstanceId,details,prevHash,hash\r\n");
    assertThat(body)
        .contains(
            ",bob,access.decided,alice,,,,\"{\"\"comment\"\":\"\"fine, \\\"\"as asked\\\"\"\\nsee ticket\"\",\"\"formula\"\":\"\"=1+1\"\"}\",");
    assertThat(body).contains(",'=cmd|' /C calc'!A0,action.refused,");
    assertThat(body.split("\r\n")).hasSize(3);
    assertThat(body).doesNotContain("checkpoint");
  }

  @Test
  void verifyReportsValidOrTheFirstBadSeq() throws Exception {
    for (int i = 0; i < 3; i++) {
      trail.record(AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED).subject("user-" + i));
    }
    JsonNode pending = get("/api/audit/verify");
    assertThat(pending.path("valid").asBoolean()).isTrue();
    assertThat(pending.path("eventsChecked").asLong()).isZero();
    assertThat(pending.path("eventsPending").asLong()).isEqualTo(3);
    sealer.seal();
    JsonNode ok = get("/api/audit/verify");
    assertThat(ok.path("valid").asBoolean()).isTrue();
    assertThat(ok.path("eventsChecked").asLong()).isEqualTo(3);
    assertThat(ok.path("firstBadSeq").isNull()).isTrue();

    jdbc.update("update audit_event set subject = 'mallory' where seq = 2");
    ResponseEntity<String> response = frank().getForEntity("/api/audit/verify", String.class);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode bad = json.readTree(response.getBody());
    assertThat(bad.path("valid").asBoolean()).isFalse();
    assertThat(bad.path("firstBadSeq").asLong()).isEqualTo(2);
    assertThat(bad.path("eventsChecked").asLong()).isEqualTo(1);
    assertThat(bad.path("reason").asText()).contains("event 2 was changed");
  }

  @Test
  void thePublicKeyIsPlainText() {
    ResponseEntity<String> response = frank().getForEntity("/api/audit/public-key", String.class);
    assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN))
        .isTrue();
    assertThat(response.getBody().strip()).isEqualTo(keys.publicKeyBase64());
    assertThat(response.getHeaders().getFirst("X-Key-Id")).isEqualTo(keys.keyId());
  }

  @Test
  void anExportVerifiesOfflineAndATamperedOneDoesNot(@TempDir Path dir) throws Exception {
    at(T0);
    trail.record(
        AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED)
            .subject("alice")
            .resource("prod-db-readonly")
            .request("r-1", "pi-1")
            .details(
                Map.of(
                    "comment",
                    "ok \"quoted\", \\ back\nnew line \u0001 ctrl, ünïcödé ✓ 🔐 \ud800 lone",
                    "stage",
                    2,
                    "ratio",
                    1.5,
                    "nested",
                    Map.of("b", List.of(true, false), "a", Map.of()),
                    "none",
                    "")));
    for (int i = 2; i <= 12; i++) {
      at(T0.plusSeconds(i));
      trail.record(
          AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED)
              .subject("user-" + i)
              .resource("staging-db-admin"));
      if (i % 5 == 0) {
        trail.checkpointNow();
      }
    }
    sealer.seal();
    Path key = dir.resolve("public-key.b64");
    Files.writeString(key, frank().getForObject("/api/audit/public-key", String.class));
    String head = jdbc.queryForObject("select last_hash from audit_head", String.class);

    // a range that ends at a given seq signs nothing: its tail after the last checkpoint is
    // reported
    Path upTo12 =
        download("/api/audit/export?format=jsonl&toSeq=12", dir.resolve("up-to-12.jsonl"));
    Tool ranged = Tool.run(upTo12, key);
    assertThat(ranged.exitCode).as(ranged.output).isZero();
    assertThat(ranged.output)
        .startsWith("OK: 12 events, chain head " + head + ", 2 checkpoints verified");
    assertThat(ranged.output).contains("events 11 to 12 follow the last signed checkpoint");

    // an export to the end of the trail first signs the head, so all of it is pinned
    Path export = download("/api/audit/export?format=jsonl", dir.resolve("export.jsonl"));
    Tool good = Tool.run(export, key);
    assertThat(good.exitCode).as(good.output).isZero();
    assertThat(good.output)
        .startsWith("OK: 12 events, chain head " + head + ", 3 checkpoints verified");
    assertThat(good.output).doesNotContain("follow the last signed checkpoint");

    Path partial =
        download("/api/audit/export?format=jsonl&fromSeq=3&toSeq=10", dir.resolve("partial.jsonl"));
    Tool partialRun = Tool.run(partial, key);
    assertThat(partialRun.output).startsWith("OK: 8 events, chain head ");
    assertThat(partialRun.output).contains("2 checkpoints verified");

    List<String> lines = Files.readAllLines(export);
    Path changed =
        write(
            dir.resolve("changed.jsonl"),
            replaceIn(lines, 6, "\"subject\":\"user-6\"", "\"subject\":\"mallory\""));
    Tool changedRun = Tool.run(changed, key);
    assertThat(changedRun.exitCode).isEqualTo(1);
    assertThat(changedRun.output).startsWith("FAILED at seq 6: event 6 was changed");

    List<String> dropped = new ArrayList<>(lines);
    dropped.remove(4);
    Tool droppedRun = Tool.run(write(dir.resolve("dropped.jsonl"), dropped), key);
    assertThat(droppedRun.exitCode).isEqualTo(1);
    assertThat(droppedRun.output).startsWith("FAILED at seq 4: event 4 is missing");

    Path otherKey = dir.resolve("other.b64");
    Files.writeString(
        otherKey,
        Base64.getEncoder()
            .encodeToString(
                KeyPairGenerator.getInstance("Ed25519")
                    .generateKeyPair()
                    .getPublic()
                    .getEncoded()));
    Tool otherKeyRun = Tool.run(export, otherKey);
    assertThat(otherKeyRun.exitCode).isEqualTo(1);
    assertThat(otherKeyRun.output).startsWith("FAILED at seq 5: checkpoint 5 was signed by key");
  }

  @Test
  void theEndpointsAreInTheOpenApiDocument() throws Exception {
    JsonNode paths = get("/v3/api-docs").path("paths");
    assertThat(paths.has("/api/audit")).isTrue();
    assertThat(paths.has("/api/audit/export")).isTrue();
    assertThat(paths.has("/api/audit/verify")).isTrue();
    assertThat(paths.has("/api/audit/public-key")).isTrue();
  }

  @Test
  void anEmptyExportVerifiesToo(@TempDir Path dir) throws Exception {
    Path export = download("/api/audit/export", dir.resolve("empty.jsonl"));
    Tool run = Tool.run(export, Files.writeString(dir.resolve("key.b64"), keys.publicKeyBase64()));
    assertThat(run.output)
        .startsWith(
            "OK: 0 events, chain head " + AuditChain.GENESIS_HASH + ", 0 checkpoints verified");
  }

  /**
   * 3,000 events: three times the export's fetch size, six sealing batches and three checkpoints,
   * and a body far beyond Tomcat's response buffer, so that an export that was buffered would say
   * its length. How fast a trail of 200,000 is appended, exported and verified is a measurement,
   * not a test: {@code ./mvnw -Pbench test -Dtest=AuditExportBenchmark}.
   */
  @Test
  void aLargeExportStreamsInChunksAndVerifiesOffline(@TempDir Path dir) throws Exception {
    int events = 3_000;
    appendInTransactions(events, 1_000);
    sealer.seal();

    Path export = dir.resolve("large.jsonl");
    Download download = stream("/api/audit/export?format=jsonl", export);

    assertThat(download.lines)
        .as("header, events, checkpoints")
        .isEqualTo(1 + events + events / 1000);
    assertThat(download.headers.getContentLength())
        .as("streamed in chunks, not buffered to measure it")
        .isEqualTo(-1);
    Path key = Files.writeString(dir.resolve("key.b64"), keys.publicKeyBase64());
    Tool offline = Tool.asAnAuditorRunsIt(export, key);
    assertThat(offline.output)
        .startsWith("OK: " + events + " events, chain head ")
        .contains("3 checkpoints verified");
  }

  private void appendInTransactions(int events, int perTransaction) {
    TransactionTemplate tx = new TransactionTemplate(transactions);
    for (int done = 0; done < events; done += perTransaction) {
      int from = done;
      tx.executeWithoutResult(
          status -> {
            for (int i = from; i < from + perTransaction; i++) {
              trail.record(
                  AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED)
                      .subject("user-" + (i % 500))
                      .resource("staging-db-admin")
                      .request("request-" + i, "pi-" + i)
                      .detail("reason", "the time was up"));
            }
          });
    }
  }

  /** Reads an export a line at a time, as a client with little memory would, into a file. */
  private Download stream(String path, Path file) {
    return frank()
        .getRestTemplate()
        .execute(
            path,
            HttpMethod.GET,
            null,
            response -> {
              long lines = 0;
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(response.getBody(), StandardCharsets.UTF_8));
                  var out = Files.newBufferedWriter(file)) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines++;
                  out.write(line);
                  out.write('\n');
                }
              }
              return new Download(lines, response.getHeaders());
            });
  }

  record Download(long lines, HttpHeaders headers) {}

  private JsonNode get(String path) throws Exception {
    ResponseEntity<String> response = frank().getForEntity(path, String.class);
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
    return json.readTree(response.getBody());
  }

  private Path download(String path, Path file) throws Exception {
    return Files.writeString(file, frank().getForObject(path, String.class));
  }

  private static List<Long> seqs(JsonNode page) {
    List<Long> seqs = new ArrayList<>();
    page.path("items").forEach(item -> seqs.add(item.path("seq").asLong()));
    return seqs;
  }

  private static List<String> replaceIn(List<String> lines, int index, String from, String to) {
    List<String> copy = new ArrayList<>(lines);
    assertThat(copy.get(index)).contains(from);
    copy.set(index, copy.get(index).replace(from, to));
    return copy;
  }

  private static Path write(Path file, List<String> lines) throws Exception {
    return Files.write(file, lines);
  }

  private static void at(Instant time) {
    ClockUtil.setCurrentTime(Date.from(time));
  }

  /**
   * tools/VerifyAuditExport.java in a JVM of its own. {@link #asAnAuditorRunsIt} runs it as the
   * README says (a JDK and the source file, nothing else), which compiles it at every run, a second
   * or more each; {@link #run} runs the same file compiled once for the whole test run, for the
   * many exports that only the verifier's answer is about.
   */
  record Tool(int exitCode, String output) {

    private static Path compiled;

    static Tool asAnAuditorRunsIt(Path export, Path key, String... more) throws Exception {
      return launch(List.of("tools/VerifyAuditExport.java"), export, key, more);
    }

    static Tool run(Path export, Path key, String... more) throws Exception {
      return launch(List.of("-cp", compiled().toString(), "VerifyAuditExport"), export, key, more);
    }

    private static synchronized Path compiled() throws Exception {
      if (compiled == null) {
        Path classes = Files.createDirectories(Path.of("target", "test-tools"));
        int status =
            ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "-d", classes.toString(), "tools/VerifyAuditExport.java");
        assertThat(status).as("javac tools/VerifyAuditExport.java").isZero();
        compiled = classes;
      }
      return compiled;
    }

    private static Tool launch(List<String> program, Path export, Path key, String... more)
        throws Exception {
      List<String> command =
          new ArrayList<>(
              List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(program);
      command.addAll(List.of(export.toString(), key.toString()));
      command.addAll(List.of(more));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      return new Tool(process.exitValue(), output);
    }
  }
}
