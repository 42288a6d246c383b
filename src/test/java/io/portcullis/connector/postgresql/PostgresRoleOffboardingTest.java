package io.portcullis.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.Discovery;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import io.portcullis.offboarding.OffboardingTables;
import io.portcullis.support.Door;
import io.portcullis.support.Leavers;
import io.portcullis.support.ProcessFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Offboarding across ldap-group and a postgresql-role instance, through the HR API: the saga
 * freezes, discovers, revokes and verifies on both, and the evidence lists each system. When
 * PostgreSQL is down, its steps retry while LDAP's account is disabled at once.
 */
@PostgresTarget
class PostgresRoleOffboardingTest extends ProcessFixture {

  static final ConnectorName APP_DB = ConnectorName.of("app-db");

  @LocalServerPort int port;
  @Autowired Connectors connectors;
  Door door;
  Leavers people;
  TargetDatabase db;
  String lena;

  @BeforeEach
  void setUp() {
    door = new Door(port);
    people = new Leavers(ldap);
    db = PostgresTarget.Initializer.db();
    lena = "lena" + db.suffix;
  }

  @AfterEach
  void cleanUp() {
    PostgresTarget.Initializer.proxy().restore();
    OffboardingTables.deleteAll(jdbc);
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey("offboarding")
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    people.removeAll();
    db.revokeEverything(lena);
    db.admin("alter role " + lena + " login");
  }

  @Test
  void theSagaRemovesWhatLenaHoldsInBothSystemsAndTheEvidenceListsEach() throws Exception {
    people.person("lena", "developers");
    db.grantAsConnector(db.writer, lena); // standing: set up by hand, no request gave it
    String grant = approvedThroughApi("lena", "app-db-readonly");
    drain();
    Connection session = db.connectAs(lena);

    String id = offboard("lena", "HR-PG-1");
    drain();

    JsonNode done = offboarding(id);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    Map<String, List<String>> bySystem = bySystem(done.get("report"));
    assertThat(bySystem.get("app-db"))
        .containsExactlyInAnyOrder(
            "ACCOUNT lena -> disabled; sessions ended",
            "GRANT " + db.readonly + " -> ended through its request: REVOKED",
            "STANDING " + db.writer + " -> removed; read back as gone");
    assertThat(bySystem.get("ldap-group"))
        .containsExactlyInAnyOrder(
            "ACCOUNT lena -> disabled; the system keeps no sessions",
            "STANDING " + Leavers.groupDn("developers") + " -> removed; read back as gone");
    assertThat(
            door.call("GET", "/api/access-requests/" + grant)
                .as("dave")
                .send()
                .json()
                .get("status")
                .asText())
        .isEqualTo("REVOKED");
    // PostgreSQL itself: no membership, no login, no session
    assertThat(
            connectors.named(APP_DB, Discovery.class).orElseThrow().holdings(Username.of("lena")))
        .isEmpty();
    assertThat(db.isMember(lena, db.readonly)).isFalse();
    assertThat(db.isMember(lena, db.writer)).isFalse();
    assertThat(catchThrowable(() -> session.createStatement().execute("select 1")))
        .isInstanceOf(SQLException.class);
    assertThat(db.sessionsOf(lena)).isZero();
    assertThat(catchThrowable(() -> db.connectAs(lena).close())).isInstanceOf(SQLException.class);
    session.close();
  }

  @Test
  void whilePostgresIsDownItsStepsRetryThenTheAdminsFindingsTaskAndLdapIsNotHeldUp() {
    people.person("lena", "developers");
    db.grantAsConnector(db.writer, lena);
    PostgresTarget.Initializer.proxy().cut();

    String id = offboard("lena", "HR-PG-2");
    int failures = runDueJobsOnce();

    AccountControl ldapAccounts =
        connectors.named(ConnectorName.of("ldap-group"), AccountControl.class).orElseThrow();
    assertThat(ldapAccounts.isDisabled(Username.of("lena")))
        .as("LDAP frozen at once while PostgreSQL is down")
        .isTrue();
    for (int minute = 0;
        minute < 30
            && tasks.createTaskQuery().taskDefinitionKey("userTask_resolveFindings").count() == 0;
        minute++) {
      ClockUtil.setCurrentTime(
          new Date(ClockUtil.getCurrentTime().getTime() + Duration.ofMinutes(1).toMillis()));
      failures += runDueJobsOnce();
    }

    assertThat(runtime.createIncidentQuery().count()).as("no incident holds the saga").isZero();
    assertThat(tasks.createTaskQuery().taskDefinitionKey("userTask_resolveFindings").count())
        .isEqualTo(1);
    // freeze, discovery and verification each retried (four failures, the fifth attempt records the
    // finding)
    assertThat(failures).isEqualTo(12);
    JsonNode attention = offboarding(id);
    assertThat(attention.get("status").asText()).isEqualTo("NEEDS_ATTENTION");
    assertThat(attention.get("report").get("findings").findValuesAsText("system"))
        .containsOnly("app-db");
    assertThat(attention.get("report").get("findings").findValuesAsText("what"))
        .anySatisfy(w -> assertThat(w).contains("could not be disabled after every retry"))
        .allSatisfy(w -> assertThat(w).doesNotContain(TargetDatabase.PASSWORD));
    // LDAP's part was done: frozen, revoked, verified
    assertThat(bySystem(attention.get("report")).get("ldap-group"))
        .containsExactlyInAnyOrder(
            "ACCOUNT lena -> disabled; the system keeps no sessions",
            "STANDING " + Leavers.groupDn("developers") + " -> removed; read back as gone");
    assertThat(db.isMember(lena, db.writer)).as("PostgreSQL untouched while down").isTrue();

    // PostgreSQL is back; the admin retries: the next round finishes it
    PostgresTarget.Initializer.proxy().restore();
    Door.Answer retried =
        door.call("POST", "/api/offboardings/" + id + "/retry")
            .as("dave")
            .json(Map.of("comment", "db is back"))
            .send();
    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    // the connector's pool may still be backing off from the outage: its first call may fail, and
    // is retried
    for (int minute = 0;
        minute < 10 && !offboarding(id).get("status").asText().equals("COMPLETED");
        minute++) {
      runDueJobsOnce();
      ClockUtil.setCurrentTime(
          new Date(ClockUtil.getCurrentTime().getTime() + Duration.ofMinutes(1).toMillis()));
    }

    assertThat(offboarding(id).get("status").asText()).isEqualTo("COMPLETED");
    assertThat(db.isMember(lena, db.writer)).isFalse();
    assertThat(catchThrowable(() -> db.connectAs(lena).close())).isInstanceOf(SQLException.class);
  }

  /** Runs every job due now once, each failure counted (the engine keeps its retries). */
  private int runDueJobsOnce() {
    int failures = 0;
    for (int i = 0; i < 200; i++) {
      List<Job> due = management.createJobQuery().executable().list();
      if (due.isEmpty()) {
        return failures;
      }
      boolean ranOne = false;
      for (Job job : due) {
        try {
          management.executeJob(job.getId());
          ranOne = true;
          break;
        } catch (RuntimeException e) {
          failures++;
        }
      }
      if (!ranOne) {
        return failures;
      }
    }
    return failures;
  }

  private String offboard(String username, String reference) {
    Door.Answer started =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(
                Map.of(
                    "username", username, "reason", "left the company", "hrReference", reference))
            .send();
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().get("id").asText();
  }

  private JsonNode offboarding(String id) {
    return door.call("GET", "/api/offboardings/" + id).as("dave").send().json();
  }

  private String approvedThroughApi(String requester, String resource) {
    Door.Answer created =
        door.call("POST", "/api/access-requests")
            .as(requester)
            .json(
                Map.of(
                    "resource", resource, "duration", "PT1H", "justification", "month-end report"))
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
    return id;
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
