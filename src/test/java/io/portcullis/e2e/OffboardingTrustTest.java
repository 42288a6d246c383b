package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import io.portcullis.offboarding.OffboardingTables;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.Leavers;
import io.portcullis.support.RequestTables;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The offboarding findings of the third trust round, each through the door it came in: a
 * deactivation over SCIM (PATCH, PUT, DELETE) or an HR call without effectiveAt brings a scheduled
 * offboarding forward to now, an earlier effectiveAt moves it earlier and a later one never later,
 * a deactivation cannot be cancelled by HR, SCIM reads a person inactive only once they are frozen
 * or being frozen, an unknown person is refused at both doors and audited, a person whose account
 * is frozen already is still offboarded, and the report says what really happened to a request that
 * was stranded. The job executor is off: the tests run the saga's jobs themselves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
class OffboardingTrustTest {

  static final String TOKEN = "scim-demo-token";
  static final String USERS = "/scim/v2/Users/";

  @LocalServerPort int port;
  @Autowired LdapTemplate ldap;
  @Autowired JdbcTemplate jdbc;
  @Autowired RuntimeService runtime;
  @Autowired ManagementService management;
  @Autowired TaskService tasks;
  @Autowired Connectors connectors;
  Door door;
  Leavers people;

  @BeforeEach
  void setUp() {
    door = new Door(port);
    people = new Leavers(ldap);
  }

  @AfterEach
  void cleanUp() {
    OffboardingTables.deleteAll(jdbc);
    for (String key : List.of("offboarding", "jit-access", "access-revocation")) {
      runtime
          .createProcessInstanceQuery()
          .processDefinitionKey(key)
          .list()
          .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    }
    people.removeAll();
    RequestTables.deleteAll(jdbc);
  }

  /**
   * The first finding, with each deactivation an identity provider sends: HR schedules the
   * leaving for next month, the identity provider deactivates the person today. The offboarding
   * runs now, the move is audited as the identity provider's own ask, HR can no longer cancel it,
   * and the person reads inactive over SCIM only from the deactivation on; once the saga's first
   * step ran, they are refused.
   */
  @Test
  void aScimDeactivationBringsAScheduledOffboardingForwardToNow() {
    Map<String, String> deactivations =
        Map.of(
            "lena", "PATCH",
            "mia", "PUT",
            "noah", "DELETE");
    for (var person : deactivations.entrySet()) {
      String who = person.getKey();
      String how = person.getValue();
      people.person(who, "developers");
      String id = schedule(who, Instant.now().plus(Duration.ofDays(30)), "HR-" + who);
      assertThat(scimActive(who))
          .as(who + " is only scheduled: still active, still logging in")
          .isTrue();
      assertThat(door.call("GET", "/api/access-requests").as(who).send().status()).isEqualTo(200);

      Instant asked = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      Answer deactivated =
          switch (how) {
            case "PATCH" ->
                door.call("PATCH", USERS + who)
                    .bearer(TOKEN)
                    .raw(
                        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                            + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}",
                        "application/scim+json")
                    .send();
            case "PUT" ->
                door.call("PUT", USERS + who)
                    .bearer(TOKEN)
                    .raw(
                        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                            + "\"userName\":\""
                            + who
                            + "\",\"active\":false}",
                        "application/scim+json")
                    .send();
            default -> door.call("DELETE", USERS + who).bearer(TOKEN).send();
          };
      assertThat(deactivated.status())
          .as(how + ": " + deactivated.body())
          .isEqualTo(how.equals("DELETE") ? 204 : 200);
      if (!how.equals("DELETE")) {
        assertThat(deactivated.json().get("active").asBoolean()).isFalse();
      }

      JsonNode o = offboarding(id);
      assertThat(o.get("status").asText()).as(how + " brings it forward").isEqualTo("IN_PROGRESS");
      assertThat(Instant.parse(o.get("effectiveAt").asText()))
          .isBetween(asked.minusSeconds(1), Instant.now());
      assertThat(Instant.parse(o.get("startedAt").asText()))
          .isBetween(asked.minusSeconds(1), Instant.now());
      assertThat(offboardingsOf(who)).as("one offboarding per person").isEqualTo(1);
      assertThat(scimActive(who)).as(who + " is being frozen now").isFalse();
      // the saga left its wait: its next step is to find and freeze the person, and no timer is
      // left
      String saga =
          runtime
              .createProcessInstanceQuery()
              .processInstanceBusinessKey(id)
              .singleResult()
              .getId();
      assertThat(management.createJobQuery().processInstanceId(saga).timers().count()).isZero();
      assertThat(
              management
                  .createJobQuery()
                  .processInstanceId(saga)
                  .activityId("serviceTask_findPerson")
                  .count())
          .isEqualTo(1);

      // audited as the identity provider's own ask: who, through which door, why, from when to when
      JsonNode moved = audit(id, "offboarding.brought-forward");
      assertThat(moved).as(how).hasSize(1);
      assertThat(moved.get(0).get("actor").asText()).isEqualTo("scim");
      assertThat(moved.get(0).get("subject").asText()).isEqualTo(who);
      JsonNode details = moved.get(0).get("details");
      assertThat(details.get("door").asText()).isEqualTo("scim");
      assertThat(details.get("reason").asText()).contains("SCIM " + how);
      assertThat(details.get("to").asText()).isEqualTo(o.get("effectiveAt").asText());
      assertThat(Instant.parse(details.get("from").asText()))
          .isAfter(Instant.now().plus(Duration.ofDays(29)));
      assertThat(details.get("reference").asText()).startsWith("scim:");

      // HR can no longer cancel it: the detail says why
      Answer cancel =
          door.call("POST", "/api/offboardings/" + id + "/cancel")
              .as("hr-system")
              .json(Map.of())
              .send();
      assertThat(cancel.status()).isEqualTo(409);
      assertThat(cancel.contentType()).startsWith("application/problem+json");
      assertThat(cancel.json().get("detail").asText())
          .contains("identity provider")
          .contains("deactivat");
      assertThat(offboarding(id).get("status").asText()).isEqualTo("IN_PROGRESS");
    }
    // the sagas' first step freezes them: from its commit on they are refused
    for (Job findPerson : management.createJobQuery().activityId("serviceTask_findPerson").list()) {
      management.executeJob(findPerson.getId());
    }
    for (String who : deactivations.keySet()) {
      assertThat(door.call("GET", "/api/access-requests").as(who).send().status())
          .as(who)
          .isEqualTo(401);
    }
  }

  /**
   * HR's own asks for a person with a scheduled offboarding: without effectiveAt it runs now; an
   * earlier effectiveAt moves it earlier, and its timer with it; a later one never moves it later
   * and says so; each move is an ask of its own, idempotent on its hrReference.
   */
  @Test
  void hrMovesAScheduledOffboardingEarlierOrToNowButNeverLater() {
    people.person("olga", "developers");
    Instant in30Days = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
    String id = schedule("olga", in30Days, "HR-OLGA-1");
    String saga =
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).singleResult().getId();

    Instant in10Days = in30Days.minus(Duration.ofDays(20));
    Map<String, Object> earlier =
        Map.of(
            "username",
            "olga",
            "reason",
            "last day moved",
            "hrReference",
            "HR-OLGA-2",
            "effectiveAt",
            in10Days.toString());
    Answer moved = door.call("POST", "/api/offboardings").as("hr-system").json(earlier).send();
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.json().get("id").asText()).isEqualTo(id);
    assertThat(moved.json().get("status").asText()).isEqualTo("SCHEDULED");
    assertThat(Instant.parse(moved.json().get("effectiveAt").asText())).isEqualTo(in10Days);
    Job timer = management.createJobQuery().processInstanceId(saga).timers().singleResult();
    assertThat(timer.getDuedate().toInstant()).as("the timer moved with it").isEqualTo(in10Days);
    // the same ask again is the same answer, and no second move
    assertThat(
            door.call("POST", "/api/offboardings")
                .as("hr-system")
                .json(earlier)
                .send()
                .json()
                .get("id")
                .asText())
        .isEqualTo(id);
    assertThat(audit(id, "offboarding.brought-forward")).hasSize(1);
    assertThat(scimActive("olga")).as("still only scheduled").isTrue();

    Answer later =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(
                Map.of(
                    "username",
                    "olga",
                    "reason",
                    "x",
                    "hrReference",
                    "HR-OLGA-3",
                    "effectiveAt",
                    in30Days.minus(Duration.ofDays(5)).toString()))
            .send();
    assertThat(later.status()).isEqualTo(409);
    assertThat(later.json().get("detail").asText())
        .contains(id)
        .contains(in10Days.toString())
        .contains("never moved later");
    assertThat(
            management
                .createJobQuery()
                .processInstanceId(saga)
                .timers()
                .singleResult()
                .getDuedate()
                .toInstant())
        .isEqualTo(in10Days);

    Answer now =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(Map.of("username", "OLGA", "reason", "escorted out", "hrReference", "HR-OLGA-4"))
            .send();
    assertThat(now.status()).as(now.body()).isEqualTo(200);
    assertThat(now.json().get("id").asText()).isEqualTo(id);
    assertThat(now.json().get("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(management.createJobQuery().processInstanceId(saga).timers().count()).isZero();
    assertThat(scimActive("olga")).isFalse();

    JsonNode moves = audit(id, "offboarding.brought-forward");
    assertThat(moves).hasSize(2);
    assertThat(moves.findValuesAsText("actor")).containsOnly("hr-system");
    assertThat(moves.findValues("details"))
        .extracting(d -> d.get("door").asText())
        .containsOnly("api");
    assertThat(moves.findValues("details"))
        .extracting(d -> d.get("reference").asText())
        .containsExactlyInAnyOrder("HR-OLGA-2", "HR-OLGA-4");
    // every ask is in the evidence, in order
    JsonNode asks = offboarding(id).get("report").get("asks");
    assertThat(asks.findValuesAsText("reference"))
        .containsExactly("HR-OLGA-1", "HR-OLGA-2", "HR-OLGA-4");
    assertThat(asks.findValuesAsText("outcome"))
        .containsExactly("started", "moved earlier", "brought forward to now");
    assertThat(
            door.call("POST", "/api/offboardings/" + id + "/cancel")
                .as("hr-system")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(409);
  }

  /**
   * An HR typo offboards nobody: refused, with the reason, audited, at both doors; nothing is
   * stored.
   */
  @Test
  void anUnknownPersonIsRefusedAtBothDoorsAndAudited() {
    Answer hr =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(Map.of("username", "lenna", "reason", "left", "hrReference", "HR-TYPO-1"))
            .send();
    assertThat(hr.status()).as(hr.body()).isEqualTo(422);
    assertThat(hr.contentType()).startsWith("application/problem+json");
    assertThat(hr.json().get("detail").asText()).contains("lenna").contains("directory");
    assertThat(
            door.call("GET", "/api/offboardings?username=lenna")
                .as("hr-system")
                .send()
                .json()
                .get("totalItems")
                .asInt())
        .isZero();
    // asking again is refused again: nothing was stored under the reference
    assertThat(
            door.call("POST", "/api/offboardings")
                .as("hr-system")
                .json(Map.of("username", "lenna", "reason", "left", "hrReference", "HR-TYPO-1"))
                .send()
                .status())
        .isEqualTo(422);

    Answer scim =
        door.call("PATCH", USERS + "lenny")
            .bearer(TOKEN)
            .raw(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
                "application/scim+json")
            .send();
    ScimDoorTest.assertScimError(scim, 404, null);
    assertThat(
            door.call("GET", "/api/offboardings?username=lenny")
                .as("hr-system")
                .send()
                .json()
                .get("totalItems")
                .asInt())
        .isZero();

    JsonNode refused =
        door.call("GET", "/api/audit?action=action.refused&size=100")
            .as("frank")
            .send()
            .json()
            .get("items");
    assertThat(refusalsOf(refused, "lenna", "hr-system"))
        .hasSize(2)
        .allSatisfy(d -> assertThat(d.get("why").asText()).contains("directory"))
        .allSatisfy(d -> assertThat(d.get("door").asText()).isEqualTo("api"));
    assertThat(refusalsOf(refused, "lenny", "scim"))
        .hasSize(1)
        .allSatisfy(d -> assertThat(d.get("door").asText()).isEqualTo("scim"));
  }

  /**
   * A person whose account is frozen in the directory already (disabled by hand, their password
   * stashed) is still in the directory: their offboarding starts and completes, and asking again
   * after it, by either door, answers the same offboarding.
   */
  @Test
  void aPersonWhoseAccountIsFrozenAlreadyIsStillOffboardedAndAskingAgainAnswersTheSame() {
    people.person("pia", "developers");
    AccountControl accounts =
        connectors.named(ConnectorName.of("ldap-group"), AccountControl.class).orElseThrow();
    accounts.disable(Username.of("pia"));
    assertThat(accounts.isDisabled(Username.of("pia"))).isTrue();

    Map<String, Object> body =
        Map.of("username", "pia", "reason", "left", "hrReference", "HR-PIA-1");
    Answer started = door.call("POST", "/api/offboardings").as("hr-system").json(body).send();
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String id = started.json().get("id").asText();
    runSagaJobs("pia");
    JsonNode done = offboarding(id);
    assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.get("report").get("personFound").asBoolean()).isTrue();

    assertThat(
            door.call("POST", "/api/offboardings")
                .as("hr-system")
                .json(body)
                .send()
                .json()
                .get("id")
                .asText())
        .isEqualTo(id);
    Answer again = door.call("DELETE", USERS + "pia").bearer(TOKEN).send();
    assertThat(again.status()).isEqualTo(204);
    assertThat(offboardingsOf("pia")).isEqualTo(1);
    assertThat(scimActive("pia")).isFalse();
  }

  /**
   * A request of the leaver that no decision can reach any more (its approval task was ended with
   * an error nothing catches, so its process ended and left it PENDING) was reported as "approved
   * already". The offboarding now closes it and says what really happened.
   */
  @Test
  void theReportSaysWhatReallyHappenedToAStrandedRequest() {
    people.person("quinn", "developers");
    Answer asked =
        door.call("POST", "/api/access-requests")
            .as("quinn")
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT1H",
                    "justification",
                    "end-of-month run"))
            .send();
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    String request = asked.json().get("id").asText();
    Task approval = tasks.createTaskQuery().processInstanceBusinessKey(request).singleResult();
    // an error code the model does not catch: the engine ends the task's execution, and nothing
    // else
    tasks.handleBpmnError(approval.getId(), "NO_SUCH_CODE");
    assertThat(
            door.call("GET", "/api/access-requests/" + request)
                .as("dave")
                .send()
                .json()
                .get("status")
                .asText())
        .isEqualTo("PENDING");

    Answer started =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(Map.of("username", "quinn", "reason", "left", "hrReference", "HR-QUINN-1"))
            .send();
    String id = started.json().get("id").asText();
    runSagaJobs("quinn");

    JsonNode done = offboarding(id);
    assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
    JsonNode item = null;
    for (JsonNode system : done.get("report").get("systems")) {
      for (JsonNode i : system.get("items")) {
        if (i.get("kind").asText().equals("PENDING_REQUEST")) {
          item = i;
        }
      }
    }
    assertThat(item).as(done.toString()).isNotNull();
    assertThat(item.get("requestId").asText()).isEqualTo(request);
    assertThat(item.get("how").asText())
        .doesNotContain("approved already")
        .startsWith("never approved")
        .contains("CANCELLED");
    JsonNode closed = door.call("GET", "/api/access-requests/" + request).as("dave").send().json();
    assertThat(closed.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(closed.get("endedBy").asText()).isEqualTo("offboarding:" + id);
  }

  // ---- helpers

  private String schedule(String who, Instant at, String reference) {
    Answer scheduled =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(
                Map.of(
                    "username",
                    who,
                    "reason",
                    "leaves at the end of the month",
                    "hrReference",
                    reference,
                    "effectiveAt",
                    at.toString()))
            .send();
    assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(201);
    assertThat(scheduled.json().get("status").asText()).isEqualTo("SCHEDULED");
    return scheduled.json().get("id").asText();
  }

  private boolean scimActive(String who) {
    Answer user = door.call("GET", USERS + who).bearer(TOKEN).send();
    assertThat(user.status()).as(user.body()).isEqualTo(200);
    return user.json().get("active").asBoolean();
  }

  private JsonNode offboarding(String id) {
    Answer answer = door.call("GET", "/api/offboardings/" + id).as("dave").send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  private int offboardingsOf(String who) {
    return door.call("GET", "/api/offboardings?username=" + who)
        .as("hr-system")
        .send()
        .json()
        .get("totalItems")
        .asInt();
  }

  private JsonNode audit(String requestId, String action) {
    Answer answer =
        door.call("GET", "/api/audit?requestId=" + requestId + "&action=" + action + "&size=50")
            .as("frank")
            .send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json().get("items");
  }

  private static List<JsonNode> refusalsOf(JsonNode events, String subject, String actor) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode event : events) {
      if (subject.equals(event.path("subject").asText())
          && actor.equals(event.path("actor").asText())) {
        found.add(event.get("details"));
      }
    }
    return found;
  }

  /**
   * Runs due jobs (the saga's, and those of the processes it wakes) until none is due; one that
   * fails waits for its retry time, as with the job executor.
   */
  private void runSagaJobs(String who) {
    for (int i = 0; i < 200; i++) {
      Job next = management.createJobQuery().executable().list().stream().findFirst().orElse(null);
      if (next == null) {
        return;
      }
      try {
        management.executeJob(next.getId());
      } catch (RuntimeException failed) {
        // retried later, as the job executor would; the test asserts on what the offboarding made
        // of it
      }
    }
    throw new AssertionError("jobs were still due for " + who + " after 200 runs");
  }
}
