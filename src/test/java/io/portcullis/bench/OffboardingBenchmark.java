package io.portcullis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.PortcullisApplication;
import io.portcullis.support.Leavers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.ldap.core.LdapTemplate;

/**
 * Issue 12's figure: the time from the HR call to COMPLETED for a person who holds 100 and 1,000
 * standing group memberships (the goal: at most 10 s for 1,000). The product started whole
 * (embedded directory, job executor on), each leaver made in its directory beforehand, then
 * offboarded with one {@code POST /api/offboardings} over HTTP and followed with {@code GET} until
 * COMPLETED, as an HR system would. Prints, per size, the median and the worst of {@code
 * bench.runs} runs (default 3), measured by the client (from sending the POST to the GET that saw
 * COMPLETED) and by the product (requestedAt to endedAt).
 *
 * <p>Not a test: it prints figures. Run it with {@code ./mvnw -B -ntp -Pbench test
 * -Dtest=OffboardingBenchmark} ({@code -Dbench.sizes=100,1000 -Dbench.runs=3}).
 */
@Tag("benchmark")
class OffboardingBenchmark {

  static final String BASE = "dc=portcullis,dc=demo";

  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void timeFromTheHrCallToCompleted() throws Exception {
    List<Integer> sizes =
        List.of(System.getProperty("bench.sizes", "100,1000").split(",")).stream()
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    int runs = Integer.getInteger("bench.runs", 3);
    try (ConfigurableApplicationContext product =
        new SpringApplicationBuilder(PortcullisApplication.class)
            .profiles("demo", "test")
            .run(
                "--server.port=0",
                "--camunda.bpm.job-execution.enabled=true",
                "--spring.datasource.url="
                    + System.getProperty(
                        "bench.datasource.url", "jdbc:h2:mem:offboarding-bench;DB_CLOSE_DELAY=-1"),
                "--camunda.bpm.job-execution.max-jobs-per-acquisition="
                    + System.getProperty("bench.acquire", "3"))) {
      int port = Integer.parseInt(product.getEnvironment().getProperty("local.server.port"));
      LdapTemplate ldap = product.getBean(LdapTemplate.class);
      List<String> lines = new ArrayList<>();
      for (int size : sizes) {
        List<Long> client = new ArrayList<>();
        List<Long> server = new ArrayList<>();
        for (int run = 1; run <= runs + 1; run++) {
          String person = "leaver-" + size + "-" + run;
          makeLeaver(ldap, person, size);
          long sent = System.nanoTime();
          HttpResponse<String> started =
              send(
                  port,
                  "hr-system",
                  "POST",
                  "/api/offboardings",
                  Map.of(
                      "username", person, "reason", "benchmark", "hrReference", "BENCH-" + person));
          if (started.statusCode() != 201) {
            throw new IllegalStateException(started.body());
          }
          String id = json.readTree(started.body()).get("id").asText();
          JsonNode done;
          Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
          do {
            done = json.readTree(send(port, "dave", "GET", "/api/offboardings/" + id, null).body());
            if (Instant.now().isAfter(deadline)) {
              throw new IllegalStateException(
                  "not COMPLETED within 10 minutes: " + done.get("status"));
            }
          } while (!done.get("status").asText().equals("COMPLETED") && pause());
          long clientMs = (System.nanoTime() - sent) / 1_000_000;
          long serverMs =
              Duration.between(
                      Instant.parse(done.get("requestedAt").asText()),
                      Instant.parse(done.get("endedAt").asText()))
                  .toMillis();
          int revoked = 0;
          for (JsonNode system : done.get("report").get("systems")) {
            for (JsonNode item : system.get("items")) {
              revoked +=
                  item.get("kind").asText().equals("STANDING") && !item.get("doneAt").isNull()
                      ? 1
                      : 0;
            }
          }
          if (revoked != size) {
            throw new IllegalStateException(
                person + ": " + revoked + " memberships revoked, not " + size);
          }
          if (run == 1) {
            System.out.printf(
                "offboarding bench: %d memberships, warm-up run %d ms%n", size, clientMs);
            continue;
          }
          client.add(clientMs);
          server.add(serverMs);
          System.out.printf(
              "offboarding bench: %d memberships, run %d: %d ms (client), %d ms (requestedAt to endedAt)%n",
              size, run - 1, clientMs, serverMs);
        }
        Collections.sort(client);
        Collections.sort(server);
        lines.add(
            String.format(
                "%5d memberships: HR call to COMPLETED median %d ms, worst %d ms (client; product: median %d, worst %d) "
                    + "over %d runs",
                size,
                client.get(client.size() / 2),
                client.get(client.size() - 1),
                server.get(server.size() / 2),
                server.get(server.size() - 1),
                runs));
      }
      System.out.println("offboarding bench, H2, job executor as configured:");
      lines.forEach(l -> System.out.println("  " + l));
    }
  }

  /**
   * A person in {@code size} groups of their own, each with a placeholder member too (groupOfNames
   * needs one).
   */
  private static void makeLeaver(LdapTemplate ldap, String person, int size) {
    Leavers people = new Leavers(ldap);
    people.person(person);
    for (int i = 1; i <= size; i++) {
      people.group(person + "-share-" + i, person);
    }
  }

  private static boolean pause() {
    // a poll of the HR client, not a wait inside the product
    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    return true;
  }

  private HttpResponse<String> send(
      int port, String user, String method, String path, Map<String, String> body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofMinutes(2))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (user + ":" + user + "-demo").getBytes(StandardCharsets.UTF_8)));
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
