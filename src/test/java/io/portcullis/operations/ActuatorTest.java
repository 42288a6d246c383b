package io.portcullis.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

/**
 * Health is open to a load balancer, with liveness and a readiness that includes the database and the
 * directory; metrics and Prometheus are for admins only, and carry Portcullis' own meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // tests turn metrics export off by default: Prometheus is what is tested
@ActiveProfiles({"demo", "test"})
class ActuatorTest {

  @Autowired TestRestTemplate http;

  @Test
  void healthLivenessAndReadinessAreOpenAndUp() {
    for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
      ResponseEntity<JsonNode> health = http.getForEntity(path, JsonNode.class);
      assertThat(health.getStatusCode()).as(path).isEqualTo(HttpStatus.OK);
      assertThat(health.getBody().get("status").asText()).as(path).isEqualTo("UP");
      assertThat(health.getBody().has("components")).as("no details for anonymous callers").isFalse();
    }
  }

  @Test
  void readinessIsTheDatabaseAndTheDirectoryAndAnAdminSeesWhich() {
    ResponseEntity<JsonNode> readiness = http.withBasicAuth("dave", "dave-demo").getForEntity("/actuator/health/readiness",
        JsonNode.class);
    assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(readiness.getBody().get("components").fieldNames()).toIterable().containsExactlyInAnyOrder("db", "ldap", "readinessState");
    ResponseEntity<JsonNode> liveness = http.withBasicAuth("dave", "dave-demo").getForEntity("/actuator/health/liveness",
        JsonNode.class);
    assertThat(liveness.getBody().get("components").fieldNames()).toIterable().as("liveness never waits on the database")
        .containsExactly("livenessState");
  }

  @Test
  void metricsAreForAdminsOnly() {
    assertThat(http.getForEntity("/actuator/prometheus", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(http.withBasicAuth("alice", "alice-demo").getForEntity("/actuator/prometheus", String.class).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(http.withBasicAuth("frank", "frank-demo").getForEntity("/actuator/metrics", String.class).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(http.withBasicAuth("alice", "wrong").getForEntity("/actuator/metrics", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);

    ResponseEntity<String> scrape = http.withBasicAuth("dave", "dave-demo").getForEntity("/actuator/prometheus", String.class);
    assertThat(scrape.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(scrape.getBody()).contains(
        "portcullis_requests{application=\"portcullis\",status=\"PENDING\"}",
        "portcullis_requests{application=\"portcullis\",status=\"ACTIVE\"}",
        "portcullis_grants_active{",
        "portcullis_approvals_waiting{",
        "portcullis_incidents_open{",
        "portcullis_expiry_delay_seconds_bucket{",
        "portcullis_connector_calls_seconds_count{application=\"portcullis\",connector=\"ldap-group\",operation=\"grant\",outcome=\"failure\"}",
        "http_server_requests_seconds_count{");
  }
}
