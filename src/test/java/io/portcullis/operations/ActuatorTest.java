package io.portcullis.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

/**
 * Health is open to a load balancer, with liveness and a readiness that includes the database and
 * the directory; metrics and Prometheus are for admins only, and carry Portcullis' own meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(
    tracing = false) // tests turn metrics export off by default: Prometheus is what is tested
@ActiveProfiles({"demo", "test"})
class ActuatorTest {

  @Autowired TestRestTemplate http;

  @Test
  void healthLivenessAndReadinessAreOpenAndUp() {
    for (String path :
        new String[] {
          "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"
        }) {
      ResponseEntity<JsonNode> health = http.getForEntity(path, JsonNode.class);
      assertThat(health.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
      assertThat(health.getBody().get("status").asText()).as(path).isEqualTo("UP");
      assertThat(health.getBody().has("components"))
          .as("no details for anonymous callers")
          .isFalse();
    }
  }

  @Test
  void readinessIsTheDatabaseAndTheDirectoryAndAnAdminSeesWhich() {
    ResponseEntity<JsonNode> readiness =
        http.withBasicAuth("dave", "dave-demo")
            .getForEntity("/actuator/health/readiness", JsonNode.class);
    assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(readiness.getBody().get("components").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("db", "ldap", "clock", "nodeName", "readinessState");
    ResponseEntity<JsonNode> liveness =
        http.withBasicAuth("dave", "dave-demo")
            .getForEntity("/actuator/health/liveness", JsonNode.class);
    assertThat(liveness.getBody().get("components").fieldNames())
        .toIterable()
        .as("liveness never waits on the database")
        .containsExactly("livenessState");
  }

  @Test
  void metricsAreForAdminsOnly() {
    assertThat(http.getForEntity("/actuator/prometheus", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(
            http.withBasicAuth("alice", "alice-demo")
                .getForEntity("/actuator/prometheus", String.class)
                .getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(
            http.withBasicAuth("frank", "frank-demo")
                .getForEntity("/actuator/metrics", String.class)
                .getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(
            http.withBasicAuth("alice", "wrong")
                .getForEntity("/actuator/metrics", String.class)
                .getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);

    ResponseEntity<String> scrape =
        http.withBasicAuth("dave", "dave-demo").getForEntity("/actuator/prometheus", String.class);
    assertThat(scrape.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(scrape.getBody())
        .contains(
            "portcullis_requests{application=\"portcullis\",status=\"PENDING\"}",
            "portcullis_requests{application=\"portcullis\",status=\"ACTIVE\"}",
            "portcullis_grants_active{",
            "portcullis_approvals_waiting{",
            "portcullis_incidents_open{",
            "portcullis_expiry_delay_seconds_bucket{",
            "portcullis_offboardings{application=\"portcullis\",status=\"NEEDS_ATTENTION\"}",
            "portcullis_connector_calls_seconds_count{application=\"portcullis\",connector=\"ldap-group\",operation=\"grant\",outcome=\"failure\"}",
            "http_server_requests_seconds_count{");
  }

  @Test
  void offboardingsAreCountedByStatus() {
    // an HR call for a date ahead: the offboarding waits as SCHEDULED, nothing is done yet
    ResponseEntity<JsonNode> asked =
        http.withBasicAuth("hr-system", "hr-system-demo")
            .postForEntity(
                "/api/offboardings",
                Map.of(
                    "username",
                    "erin",
                    "effectiveAt",
                    Instant.now().plus(Duration.ofDays(30)).toString(),
                    "reason",
                    "leaves next month",
                    "hrReference",
                    "HR-METRICS-1"),
                JsonNode.class);
    assertThat(asked.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    await("SCHEDULED counted")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> offboardings("SCHEDULED") == 1.0);
    assertThat(offboardings("CANCELLED")).isZero();

    ResponseEntity<JsonNode> cancelled =
        http.withBasicAuth("hr-system", "hr-system-demo")
            .postForEntity(
                "/api/offboardings/" + asked.getBody().get("id").asText() + "/cancel",
                Map.of(),
                JsonNode.class);
    assertThat(cancelled.getStatusCode()).isEqualTo(HttpStatus.OK);
    await("CANCELLED counted")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> offboardings("CANCELLED") == 1.0 && offboardings("SCHEDULED") == 0.0);
    for (String status : new String[] {"IN_PROGRESS", "COMPLETED", "NEEDS_ATTENTION"}) {
      assertThat(offboardings(status)).as(status).isZero();
    }
  }

  /** The value of {@code portcullis_offboardings} for one status, as an admin scrapes it. */
  private double offboardings(String status) {
    String series =
        "portcullis_offboardings{application=\"portcullis\",status=\"" + status + "\"} ";
    String scrape =
        http.withBasicAuth("dave", "dave-demo").getForObject("/actuator/prometheus", String.class);
    return scrape
        .lines()
        .filter(line -> line.startsWith(series))
        .map(line -> Double.parseDouble(line.substring(series.length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no series " + series));
  }
}
