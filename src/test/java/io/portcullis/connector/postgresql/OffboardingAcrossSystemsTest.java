package io.portcullis.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.keycloak.KeycloakEndToEnd;
import io.portcullis.offboarding.OffboardingTables;
import io.portcullis.support.Door;
import io.portcullis.support.KeycloakServer;
import io.portcullis.support.Leavers;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.ldap.core.LdapTemplate;

/**
 * One offboarding across the three kinds of system, end to end with the job executor running: a
 * person who holds an ldap-group grant, a standing PostgreSQL role with a session that set it, and
 * a Keycloak group with a live refresh token and an offline token is offboarded through the HR API;
 * the saga disables them everywhere, revokes everything, verifies nothing is left, and the evidence
 * lists each system. Afterwards Keycloak refuses both refresh tokens and PostgreSQL has no session
 * of theirs. {@link KeycloakEndToEnd}'s context, shared with {@code KeycloakGroupEndToEndTest}.
 */
@KeycloakEndToEnd
class OffboardingAcrossSystemsTest {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  @LocalServerPort int port;
  @Autowired LdapTemplate ldap;
  @Autowired JdbcTemplate jdbc;
  @Autowired RuntimeService runtime;

  private final KeycloakServer keycloak = KeycloakServer.get();
  private final TargetDatabase db = PostgresTarget.Initializer.db();
  private Door door;
  private Leavers people;
  private String nora;

  @BeforeEach
  void setUp() {
    KeycloakEndToEnd.Initializer.link().restore();
    door = new Door(port);
    people = new Leavers(ldap);
    nora = db.createLogin("nora");
  }

  @AfterEach
  void cleanUp() {
    OffboardingTables.deleteAll(jdbc);
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey("offboarding")
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    people.removeAll();
    db.revokeEverything(nora);
  }

  @Test
  void noraIsOffboardedFromLdapPostgresAndKeycloakAndTheEvidenceListsEachSystem() throws Exception {
    people.person("nora", "developers");
    keycloak.ensureUser("nora");
    String ldapGrant = approvedThroughApi("staging-db-admin");
    String ssoGrant = approvedThroughApi("prod-readers-sso");
    awaitStatus(ldapGrant, "ACTIVE");
    awaitStatus(ssoGrant, "ACTIVE");
    assertThat(keycloak.members(KeycloakEndToEnd.GROUP)).contains("nora");
    // standing in PostgreSQL (no request gave it), with a session that uses it
    db.grantAsConnector(db.writer, nora);
    Connection session = db.connectAs(nora);
    try (Statement s = session.createStatement()) {
      s.execute("set role " + db.writer);
    }
    // signed in to an application through Keycloak, with an offline token too
    JsonNode pair = KeycloakServer.json(keycloak.passwordGrant("nora", "openid"));
    JsonNode offline = KeycloakServer.json(keycloak.passwordGrant("nora", "openid offline_access"));
    List<String> refreshTokens =
        List.of(pair.path("refresh_token").asText(), offline.path("refresh_token").asText());
    assertThat(keycloak.sessionsOf("nora")).isPositive();

    Door.Answer started =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(
                Map.of("username", "nora", "reason", "left the company", "hrReference", "HR-ALL-1"))
            .send();
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String id = started.json().get("id").asText();
    JsonNode done =
        await()
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> door.call("GET", "/api/offboardings/" + id).as("dave").send().json(),
                o -> !List.of("SCHEDULED", "IN_PROGRESS").contains(o.get("status").asText()));

    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("report").get("findings")).as(done.toString()).isEmpty();
    Map<String, List<String>> bySystem = bySystem(done.get("report"));
    // the test profile's credential instances (api-key, jwt-credential) freeze her keys and tokens
    // too
    assertThat(bySystem)
        .containsOnlyKeys("ldap-group", "app-db", "sso", "ci-api-key", "deploy-api");
    for (String credentials : List.of("ci-api-key", "deploy-api")) {
      assertThat(bySystem.get(credentials))
          .containsExactly("ACCOUNT nora -> disabled; sessions ended");
    }
    assertThat(bySystem.get("ldap-group"))
        .containsExactlyInAnyOrder(
            "ACCOUNT nora -> disabled; the system keeps no sessions",
            "GRANT cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo -> ended through its request: REVOKED",
            "STANDING " + Leavers.groupDn("developers") + " -> removed; read back as gone");
    assertThat(bySystem.get("app-db"))
        .containsExactlyInAnyOrder(
            "ACCOUNT nora -> disabled; sessions ended",
            "STANDING " + db.writer + " -> removed; read back as gone");
    assertThat(bySystem.get("sso"))
        .containsExactlyInAnyOrder(
            "ACCOUNT nora -> disabled; sessions ended",
            "GRANT " + KeycloakEndToEnd.GROUP + " -> ended through its request: REVOKED");
    assertThat(awaitStatus(ldapGrant, "REVOKED").get("status").asText()).isEqualTo("REVOKED");
    assertThat(awaitStatus(ssoGrant, "REVOKED").get("status").asText()).isEqualTo("REVOKED");

    // Keycloak itself: out of the group, no session, and neither refresh token works
    assertThat(keycloak.members(KeycloakEndToEnd.GROUP)).doesNotContain("nora");
    assertThat(keycloak.sessionsOf("nora")).isZero();
    for (String refreshToken : refreshTokens) {
      HttpResponse<String> refreshed = keycloak.refresh(refreshToken);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(400);
      assertThat(KeycloakServer.json(refreshed).path("error").asText()).isEqualTo("invalid_grant");
      assertThat(keycloak.introspect(refreshToken).path("active").asBoolean()).isFalse();
    }
    // PostgreSQL itself: no membership, the session that had set the role is gone, no new login
    assertThat(db.isMember(nora, db.writer)).isFalse();
    assertThat(catchThrowable(() -> session.createStatement().execute("select 1")))
        .isInstanceOf(SQLException.class);
    assertThat(db.sessionsOf(nora)).isZero();
    assertThat(catchThrowable(() -> db.connectAs(nora).close())).isInstanceOf(SQLException.class);
    session.close();
  }

  private String approvedThroughApi(String resource) {
    Door.Answer created =
        door.call("POST", "/api/access-requests")
            .as("nora")
            .json(
                Map.of(
                    "resource",
                    resource,
                    "duration",
                    "PT1H",
                    "justification",
                    "month-end report",
                    "ticket",
                    "OPS-27"))
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();
    Door.Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of())
            .send();
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    return id;
  }

  private JsonNode awaitStatus(String id, String status) {
    return await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> door.call("GET", "/api/access-requests/" + id).as("dave").send().json(),
            request -> status.equals(request.get("status").asText()));
  }

  private static Map<String, List<String>> bySystem(JsonNode report) {
    Map<String, List<String>> bySystem = new TreeMap<>();
    for (JsonNode system : report.get("systems")) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : system.get("items")) {
        items.add(
            item.get("kind").asText()
                + " "
                + item.get("target").asText()
                + " -> "
                + item.get("how").asText());
      }
      bySystem.put(system.get("system").asText(), items);
    }
    return bySystem;
  }
}
