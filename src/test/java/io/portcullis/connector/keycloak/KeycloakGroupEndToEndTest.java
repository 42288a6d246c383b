package io.portcullis.connector.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.Discovery;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.support.Door;
import io.portcullis.support.KeycloakServer;
import io.portcullis.support.TcpProxy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The product with a {@code keycloak-group} instance named {@code sso} and one catalog entry for
 * it, on a random port with its job executor running, driven only through {@code /api} as the demo
 * users and checked in Keycloak: the request, the approval, the membership, and the expiry that
 * removes it and ends the sessions and offline tokens the requester took meanwhile. The context is
 * {@link KeycloakEndToEnd}'s, shared with the offboarding across LDAP, PostgreSQL and Keycloak
 * ({@code OffboardingAcrossSystemsTest}).
 */
@KeycloakEndToEnd
@ExtendWith(OutputCaptureExtension.class)
class KeycloakGroupEndToEndTest {

  static final String GROUP = KeycloakEndToEnd.GROUP;
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired Connectors connectors;
  @Autowired ManagementService management;
  @Autowired RuntimeService runtime;

  private final KeycloakServer keycloak = KeycloakServer.get();
  private final TcpProxy link = KeycloakEndToEnd.Initializer.link();

  @BeforeEach
  @AfterEach
  void keycloakIsUp() {
    link.restore();
  }

  @Test
  void theInstanceHasDiscoveryAndAccountControlForOffboarding() {
    assertThat(connectors.withCapability(Discovery.class)).containsKey(ConnectorName.of("sso"));
    assertThat(connectors.withCapability(AccountControl.class))
        .containsKey(ConnectorName.of("sso"));
  }

  @Test
  void aliceAsksBobApprovesAndTheGroupAndHerSessionsEndAtExpiry(CapturedOutput log) {
    keycloak.ensureUser("alice");
    Door door = new Door(port);

    Door.Answer created =
        door.call("POST", "/api/access-requests")
            .as("alice")
            .json(
                Map.of(
                    "resource",
                    "prod-readers-sso",
                    "duration",
                    "PT8S",
                    "justification",
                    "read the incident's rows",
                    "ticket",
                    "OPS-27"))
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();
    Door.Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of("comment", "ok"))
            .send();
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);

    awaitStatus(door, id, "ACTIVE");
    assertThat(keycloak.members(GROUP)).contains("alice");
    // while it is active, alice signs in to an application and keeps an offline token too
    JsonNode pair = KeycloakServer.json(keycloak.passwordGrant("alice", "openid"));
    JsonNode offline =
        KeycloakServer.json(keycloak.passwordGrant("alice", "openid offline_access"));
    List<String> refreshTokens =
        List.of(pair.path("refresh_token").asText(), offline.path("refresh_token").asText());

    JsonNode ended = awaitStatus(door, id, "EXPIRED");
    assertThat(ended.get("history").findValuesAsText("action"))
        .contains("access.granted", "access.expired");
    assertThat(keycloak.members(GROUP)).doesNotContain("alice");
    for (String refreshToken : refreshTokens) {
      HttpResponse<String> refreshed = keycloak.refresh(refreshToken);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(400);
      assertThat(KeycloakServer.json(refreshed).path("error").asText()).isEqualTo("invalid_grant");
      assertThat(keycloak.introspect(refreshToken).path("active").asBoolean()).isFalse();
    }
    assertThat(keycloak.sessionsOf("alice")).isZero();
    assertThat(log.getAll()).doesNotContain(KeycloakServer.CLIENT_SECRET);
  }

  /**
   * Keycloak down when a grant is due (its link cut): the grant step fails with a
   * ConnectorException that names Keycloak and not the secret, the engine keeps it for a retry (the
   * step's R3/PT1M), and once the retries are used up it is an incident. Retries are cut to one
   * here, not waited for.
   */
  @Test
  void aGrantToAKeycloakThatIsDownIsRetriedThenAnIncident(CapturedOutput log) {
    link.cut();
    Door door = new Door(port);
    Door.Answer created =
        door.call("POST", "/api/access-requests")
            .as("erin")
            .json(
                Map.of(
                    "resource",
                    "prod-readers-sso",
                    "duration",
                    "PT30M",
                    "justification",
                    "answer a customer",
                    "ticket",
                    "SUP-9"))
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/approve")
                .as("bob")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(200);

    String where = "127.0.0.1:" + link.port();
    Job failed =
        await()
            .atMost(DEADLINE)
            .until(
                () ->
                    management.createJobQuery().withException().list().stream()
                        .filter(
                            job ->
                                job.getExceptionMessage() != null
                                    && job.getExceptionMessage().contains(where))
                        .findFirst()
                        .orElse(null),
                job -> job != null);
    assertThat(failed.getRetries()).as("kept for the step's retry cycle").isPositive();
    assertThat(failed.getFailedActivityId())
        .as("a step that calls the connector")
        .isIn("serviceTask_checkStandingAccess", "serviceTask_grantAccess");
    assertThat(failed.getExceptionMessage())
        .contains("did not answer")
        .doesNotContain(KeycloakServer.CLIENT_SECRET);
    assertThat(management.getJobExceptionStacktrace(failed.getId()))
        .doesNotContain(KeycloakServer.CLIENT_SECRET);

    management.setJobRetries(failed.getId(), 1);
    management.setJobDuedate(failed.getId(), new Date());
    Incident incident =
        await()
            .atMost(DEADLINE)
            .until(
                () ->
                    runtime
                        .createIncidentQuery()
                        .processInstanceId(failed.getProcessInstanceId())
                        .singleResult(),
                Objects::nonNull);
    assertThat(incident.getIncidentMessage())
        .contains(where)
        .doesNotContain(KeycloakServer.CLIENT_SECRET);
    assertThat(
            door.call("GET", "/api/access-requests/" + id)
                .as("erin")
                .send()
                .json()
                .get("status")
                .asText())
        .isNotEqualTo("ACTIVE");
    assertThat(log.getAll())
        .as("the log, with the failed steps' traces")
        .contains(where)
        .doesNotContain(KeycloakServer.CLIENT_SECRET);
  }

  private static JsonNode awaitStatus(Door door, String id, String status) {
    return await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> door.call("GET", "/api/access-requests/" + id).as("alice").send().json(),
            request -> status.equals(request.get("status").asText()));
  }
}
