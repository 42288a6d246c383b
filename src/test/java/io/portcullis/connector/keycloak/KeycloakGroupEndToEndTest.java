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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The product with a {@code keycloak-group} instance named {@code sso} and one catalog entry for it, on a
 * random port with its job executor running, driven only through {@code /api} as the demo users and
 * checked in Keycloak: the request, the approval, the membership, and the expiry that removes it and ends
 * the sessions and offline tokens the requester took meanwhile.
 */
@Tag("keycloak")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"camunda.bpm.job-execution.enabled=true", "portcullis.requests.min-duration=PT1S"})
@ActiveProfiles({"demo", "test"})
class KeycloakGroupEndToEndTest {

  static final String GROUP = "/engineering/prod-readers";
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @DynamicPropertySource
  static void sso(DynamicPropertyRegistry properties) {
    KeycloakServer keycloak = KeycloakServer.get();
    properties.add("portcullis.connectors.sso.type", () -> "keycloak-group");
    properties.add("portcullis.connectors.sso.server-url", () -> keycloak.url().toString());
    properties.add("portcullis.connectors.sso.realm", () -> KeycloakServer.REALM);
    properties.add("portcullis.connectors.sso.client-id", () -> KeycloakServer.CLIENT_ID);
    properties.add("portcullis.connectors.sso.client-secret", () -> KeycloakServer.CLIENT_SECRET);
    properties.add("portcullis.connectors.sso.timeout", () -> "3s");
    // this source's list replaces the demo's catalog: the Keycloak entry is the only resource here
    String entry = "portcullis.catalog[0].";
    properties.add(entry + "id", () -> "prod-readers-sso");
    properties.add(entry + "name", () -> "Production readers (SSO group)");
    properties.add(entry + "description", () -> "Membership of the Keycloak group " + GROUP);
    properties.add(entry + "connector", () -> "sso");
    properties.add(entry + "target", () -> GROUP);
    properties.add(entry + "max-duration", () -> "PT1H");
    properties.add(entry + "environment", () -> "staging");
    properties.add(entry + "risk", () -> "medium");
  }

  @LocalServerPort int port;
  @Autowired Connectors connectors;

  private final KeycloakServer keycloak = KeycloakServer.get();

  @Test
  void theInstanceHasDiscoveryAndAccountControlForOffboarding() {
    assertThat(connectors.withCapability(Discovery.class)).containsKey(ConnectorName.of("sso"));
    assertThat(connectors.withCapability(AccountControl.class)).containsKey(ConnectorName.of("sso"));
  }

  @Test
  void aliceAsksBobApprovesAndTheGroupAndHerSessionsEndAtExpiry() {
    keycloak.ensureUser("alice");
    Door door = new Door(port);

    Door.Answer created = door.call("POST", "/api/access-requests").as("alice").json(Map.of("resource", "prod-readers-sso",
        "duration", "PT8S", "justification", "read the incident's rows", "ticket", "OPS-27")).send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();
    Door.Answer approved = door.call("POST", "/api/access-requests/" + id + "/approve").as("bob").json(Map.of("comment", "ok")).send();
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);

    awaitStatus(door, id, "ACTIVE");
    assertThat(keycloak.members(GROUP)).contains("alice");
    // while it is active, alice signs in to an application and keeps an offline token too
    JsonNode pair = KeycloakServer.json(keycloak.passwordGrant("alice", "openid"));
    JsonNode offline = KeycloakServer.json(keycloak.passwordGrant("alice", "openid offline_access"));
    List<String> refreshTokens = List.of(pair.path("refresh_token").asText(), offline.path("refresh_token").asText());

    JsonNode ended = awaitStatus(door, id, "EXPIRED");
    assertThat(ended.get("history").findValuesAsText("action")).contains("access.granted", "access.expired");
    assertThat(keycloak.members(GROUP)).doesNotContain("alice");
    for (String refreshToken : refreshTokens) {
      HttpResponse<String> refreshed = keycloak.refresh(refreshToken);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(400);
      assertThat(KeycloakServer.json(refreshed).path("error").asText()).isEqualTo("invalid_grant");
      assertThat(keycloak.introspect(refreshToken).path("active").asBoolean()).isFalse();
    }
    assertThat(keycloak.sessionsOf("alice")).isZero();
  }

  private static JsonNode awaitStatus(Door door, String id, String status) {
    return await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(
        () -> door.call("GET", "/api/access-requests/" + id).as("alice").send().json(),
        request -> status.equals(request.get("status").asText()));
  }
}
