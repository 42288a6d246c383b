package io.portcullis.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.Door;
import io.portcullis.support.ProcessFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A postgresql-role resource through {@code /api}, end to end: asked, approved, granted in
 * PostgreSQL, and ended at expiry with the session that had taken the role; a second live grant of
 * the same role keeps the session while the first ends. The engine's jobs are run by the test and
 * its clock moved.
 */
@PostgresTarget
class PostgresRoleAccessTest extends ProcessFixture {

  @LocalServerPort int port;
  Door door;
  TargetDatabase db;

  @BeforeEach
  void door() {
    door = new Door(port);
    db = PostgresTarget.Initializer.db();
  }

  @AfterEach
  void nothingHeld() {
    for (String person : new String[] {"alice", "erin"}) {
      db.revokeEverything(person + db.suffix);
      db.endSessions(person + db.suffix);
    }
  }

  @Test
  void aliceAsksBobApprovesThePostgresRoleIsGrantedAndItsExpiryEndsHerSession() throws Exception {
    String login = "alice" + db.suffix;
    String id = approvedThroughApi("alice", "app-db-readonly", "PT1H");

    drain();

    JsonNode active = request("alice", id);
    assertThat(active.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(db.isMember(login, db.readonly)).isTrue();
    Connection session = sessionWithTheRole(login);

    moveClockTo(Instant.parse(active.get("expiresAt").asText()).plusSeconds(1));
    drain();

    assertThat(request("alice", id).get("status").asText()).isEqualTo("EXPIRED");
    assertThat(db.isMember(login, db.readonly)).isFalse();
    assertThat(catchThrowable(() -> read(session)))
        .as("the session that had set the role")
        .isInstanceOf(SQLException.class);
    assertThat(db.sessionsOf(login)).isZero();
    assertThatThrownBy(() -> sessionWithTheRole(login))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied");
    session.close();
  }

  @Test
  void aSecondLiveGrantOfTheSameRoleKeepsTheSessionWhenTheFirstIsRevoked() throws Exception {
    String login = "erin" + db.suffix;
    String first = approvedThroughApi("erin", "app-db-readonly", "PT1H");
    drain();
    String second = approvedThroughApi("erin", "app-db-readonly-again", "PT2H");
    drain();
    assertThat(request("erin", second).get("status").asText()).isEqualTo("ACTIVE");
    Connection session = sessionWithTheRole(login);

    Door.Answer revoke =
        door.call("POST", "/api/access-requests/" + first + "/revoke")
            .as("erin")
            .json(Map.of("reason", "done with the first"))
            .send();
    assertThat(revoke.status()).as(revoke.body()).isEqualTo(202);
    drain();

    assertThat(request("erin", first).get("status").asText()).isEqualTo("REVOKED");
    assertThat(db.isMember(login, db.readonly)).as("the second grant still needs it").isTrue();
    assertThat(read(session)).as("the session lives on with the second grant").isEqualTo(1);

    moveClockTo(Instant.parse(request("erin", second).get("expiresAt").asText()).plusSeconds(1));
    drain();

    assertThat(request("erin", second).get("status").asText()).isEqualTo("EXPIRED");
    assertThat(catchThrowable(() -> read(session))).isInstanceOf(SQLException.class);
    assertThat(db.sessionsOf(login)).isZero();
    session.close();
  }

  @Test
  void aGrantWhilePostgresIsDownRetriesThenIsAnIncidentAndTheRetriedIncidentGrantsIt() {
    String login = "alice" + db.suffix;
    String id = approvedThroughApi("alice", "app-db-readonly", "PT1H");
    var instance =
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).singleResult();
    runJobAt(instance, AccessProcess.TASK_CHECK_STANDING); // and the access clock
    PostgresTarget.Initializer.proxy().cut();
    try {
      for (int minute = 0; minute < 10 && runtime.createIncidentQuery().count() == 0; minute++) {
        runDueJobsOnce();
        moveClockTo(ClockUtil.getCurrentTime().toInstant().plusSeconds(60));
      }
      assertThat(runtime.createIncidentQuery().singleResult().getActivityId())
          .isEqualTo("serviceTask_grantAccess");
      assertThat(runtime.createIncidentQuery().singleResult().getIncidentMessage())
          .contains("app-db could not grant")
          .doesNotContain(TargetDatabase.PASSWORD);
      assertThat(request("alice", id).get("status").asText()).isEqualTo("FAILED");
    } finally {
      PostgresTarget.Initializer.proxy().restore();
    }
    String job = management.createJobQuery().noRetriesLeft().singleResult().getId();
    management.setJobRetries(job, 1);
    for (int attempt = 0;
        attempt < 5 && !request("alice", id).get("status").asText().equals("ACTIVE");
        attempt++) {
      runDueJobsOnce(); // the pool may still back off from the outage once
      if (management.createJobQuery().noRetriesLeft().count() > 0) {
        management.setJobRetries(
            management.createJobQuery().noRetriesLeft().singleResult().getId(), 1);
      }
    }
    assertThat(request("alice", id).get("status").asText()).isEqualTo("ACTIVE");
    assertThat(db.isMember(login, db.readonly)).isTrue();
  }

  /**
   * Runs every job due now once; a failure uses one of the job's retries, as the job executor's
   * would.
   */
  private void runDueJobsOnce() {
    for (Job job : management.createJobQuery().executable().list()) {
      try {
        management.executeJob(job.getId());
      } catch (RuntimeException e) {
        // counted by the engine
      }
    }
  }

  private String approvedThroughApi(String requester, String resource, String duration) {
    Door.Answer created =
        door.call("POST", "/api/access-requests")
            .as(requester)
            .json(
                Map.of(
                    "resource",
                    resource,
                    "duration",
                    duration,
                    "justification",
                    "month-end report"))
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

  private JsonNode request(String user, String id) {
    return door.call("GET", "/api/access-requests/" + id).as(user).send().json();
  }

  private Connection sessionWithTheRole(String login) throws SQLException {
    Connection session = db.connectAs(login);
    try (Statement s = session.createStatement()) {
      s.execute("set role " + db.readonly);
    } catch (SQLException e) {
      session.close();
      throw e;
    }
    assertThat(read(session)).isEqualTo(1);
    return session;
  }

  private static int read(Connection session) throws SQLException {
    try (Statement s = session.createStatement();
        ResultSet row = s.executeQuery("select id from readable")) {
      row.next();
      return row.getInt(1);
    }
  }
}
