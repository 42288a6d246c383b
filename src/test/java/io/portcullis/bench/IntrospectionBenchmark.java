package io.portcullis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * How fast introspection answers, and how soon a revoked API key or JWT access token is refused.
 * Runs the whole application with the job executor on, as shipped: alice asks for {@code
 * ci-api-key}, bob approves, alice takes her key; then {@code bench.threads} (8) clients introspect
 * it {@code bench.calls} (500) times each over HTTP as the demo resource server {@code deploy-api},
 * and the latencies' p50 and p99 are printed. Then, while one client introspects in a loop, alice
 * revokes: printed are the time from her revoke call to the first {@code active: false}, and the
 * time from the revoke step's commit (the request's {@code endedAt}) to it.
 *
 * <p>Not a test: it prints figures, and asserts only that the answers are right (active while the
 * grant lives, inactive from the revoke on). {@code ./mvnw -B -o -Pbench test
 * -Dtest=IntrospectionBenchmark}.
 */
@Tag("benchmark")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "camunda.bpm.job-execution.enabled=true")
@ActiveProfiles({"demo", "test"})
class IntrospectionBenchmark {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  @LocalServerPort int port;

  @BeforeEach
  void realTime() {
    ClockUtil.reset();
  }

  @Test
  void introspectionLatencyAndRevokeToInactive() throws Exception {
    measure("ci-api-key", "an API key", "PT1H", issued -> issued.get("apiKey").asText());
  }

  /** The same for a JWT access token of deploy-api: verified, then asked the live rule. */
  @Test
  void introspectionLatencyAndRevokeToInactiveOfAJwt() throws Exception {
    measure("deploy-api", "a JWT", "PT30M", issued -> issued.get("accessToken").asText());
  }

  private void measure(
      String resource, String what, String duration, Function<JsonNode, String> tokenOf)
      throws Exception {
    int threads = Integer.getInteger("bench.threads", 8);
    int calls = Integer.getInteger("bench.calls", 500);
    Door door = new Door(port);
    String id =
        door.call("POST", "/api/access-requests")
            .as("alice")
            .json(Map.of("resource", resource, "duration", duration, "justification", "benchmark"))
            .send()
            .json()
            .get("id")
            .asText();
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/approve")
                .as("bob")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(200);
    await().atMost(DEADLINE).until(() -> status(door, id).equals("ACTIVE"));
    String key =
        tokenOf.apply(
            door.call("POST", "/api/access-requests/" + id + "/credential")
                .as("alice")
                .json(Map.of())
                .send()
                .json());

    for (int i = 0; i < 200; i++) {
      assertThat(active(door, key)).isTrue();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<Long>>> runs = new ArrayList<>();
    Instant began = Instant.now();
    for (int t = 0; t < threads; t++) {
      runs.add(
          pool.submit(
              () -> {
                Door client = new Door(port);
                List<Long> took = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                  long start = System.nanoTime();
                  assertThat(active(client, key)).isTrue();
                  took.add(System.nanoTime() - start);
                }
                return took;
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> run : runs) {
      all.addAll(run.get());
    }
    Duration wall = Duration.between(began, Instant.now());
    pool.shutdown();
    Collections.sort(all);
    System.out.printf(
        "introspection of %s, %d clients x %d calls over HTTP: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f calls/s%n",
        what,
        threads,
        calls,
        millis(all, 0.50),
        millis(all, 0.99),
        all.get(all.size() - 1) / 1e6,
        all.size() / (wall.toMillis() / 1000.0));

    // revoke while a client introspects in a loop
    List<Instant> answers = Collections.synchronizedList(new ArrayList<>());
    ExecutorService watcher = Executors.newSingleThreadExecutor();
    Future<Instant> firstInactive =
        watcher.submit(
            () -> {
              Door client = new Door(port);
              while (true) {
                boolean live = active(client, key);
                Instant at = Instant.now();
                answers.add(at);
                if (!live) {
                  return at;
                }
              }
            });
    Instant asked = Instant.now();
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/revoke")
                .as("alice")
                .json(Map.of("reason", "benchmark over"))
                .send()
                .status())
        .isEqualTo(202);
    Instant inactive = firstInactive.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    watcher.shutdown();
    await().atMost(DEADLINE).until(() -> status(door, id).equals("REVOKED"));
    Instant endedAt =
        Instant.parse(
            door.call("GET", "/api/access-requests/" + id)
                .as("alice")
                .send()
                .json()
                .get("endedAt")
                .asText());
    assertThat(active(door, key)).isFalse();
    System.out.printf(
        "revoke of %s: %d ms from the revoke call (202) to the first active:false; the revoke step's "
            + "endedAt is %d ms before that answer (its transaction's commit comes after endedAt; the loop asks every %.1f ms)%n",
        what,
        Duration.between(asked, inactive).toMillis(),
        Duration.between(endedAt, inactive).toMillis(),
        answers.size() < 2
            ? 0.0
            : Duration.between(answers.get(0), inactive).toNanos() / 1e6 / answers.size());
  }

  private static boolean active(Door client, String key) {
    Answer answer =
        client
            .call("POST", "/oauth2/introspect")
            .as("deploy-api", "deploy-api-demo")
            .form("token=" + URLEncoder.encode(key, StandardCharsets.UTF_8))
            .send();
    assertThat(answer.status()).isEqualTo(200);
    return answer.json().get("active").asBoolean();
  }

  private static String status(Door door, String id) {
    return door.call("GET", "/api/access-requests/" + id)
        .as("alice")
        .send()
        .json()
        .get("status")
        .asText();
  }

  private static double millis(List<Long> sorted, double quantile) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1))
        / 1e6;
  }
}
