package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.Discovery;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import io.portcullis.offboarding.OffboardingTables;
import io.portcullis.support.Door;
import io.portcullis.support.Leavers;
import io.portcullis.support.WebappPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
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
 * The scenario through Portcullis' API, with the job executor running: a person with two
 * active grants (one of each approval-needing demo resource), one pending request, one approval
 * task claimed by them, a webapp session and a hand-made group membership is offboarded with one HR
 * call. Afterwards the directory shows nothing of them, their account cannot bind, the pending
 * request is CANCELLED, the task is back with its group, their session is over, and the report says
 * all of it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "camunda.bpm.job-execution.enabled=true",
      "portcullis.test.context=offboarding-api"
    })
@ActiveProfiles({"demo", "test"})
class OffboardingApiTest {

  static final String STAGING = Leavers.groupDn("staging-db-admin");
  static final String PROD_DB = Leavers.groupDn("prod-db-readonly");
  static final String LEGACY = Leavers.groupDn("legacy-share");

  @LocalServerPort int port;
  @Autowired LdapTemplate ldap;
  @Autowired Connectors connectors;
  @Autowired TaskService tasks;
  @Autowired RuntimeService runtime;
  @Autowired JdbcTemplate jdbc;
  Door door;
  Leavers people;

  @BeforeEach
  void setUp() {
    door = new Door(port);
    people = new Leavers(ldap);
  }

  @AfterEach
  void cleanUp() {
    // the rows first: a saga deleted while its offboarding is stored would be started again
    OffboardingTables.deleteAll(jdbc);
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey("offboarding")
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    people.removeAll();
  }

  @Test
  void oneHrCallRemovesEverythingTheLeaverHeldAndTheReportProvesIt() {
    scenario(
        () -> {
          Door.Answer started =
              door.call("POST", "/api/offboardings")
                  .as("hr-system")
                  .json(
                      Map.of(
                          "username",
                          "lena",
                          "reason",
                          "left the company",
                          "hrReference",
                          "HR-2026-0042"))
                  .send();
          assertThat(started.status()).as(started.body()).isEqualTo(201);
          return started.json().get("id").asText();
        });
  }

  /** The same, started by the identity provider: Entra's deactivation, as it sends it. */
  @Test
  void oneScimDeactivationDoesTheSame() {
    scenario(
        () -> {
          Door.Answer deactivated =
              door.call("PATCH", "/scim/v2/Users/lena")
                  .bearer("scim-demo-token")
                  .raw(
                      "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\","
                          + "\"value\":\"False\"}]}",
                      "application/scim+json")
                  .send();
          assertThat(deactivated.status()).as(deactivated.body()).isEqualTo(200);
          JsonNode found =
              door.call("GET", "/api/offboardings?username=lena").as("hr-system").send().json();
          assertThat(found.get("items")).hasSize(1);
          assertThat(found.get("items").get(0).get("hrReference").asText()).startsWith("scim:");
          return found.get("items").get(0).get("id").asText();
        });
  }

  private void scenario(Supplier<String> offboard) {
    people.person("lena", "developers", "team-leads");
    people.group("legacy-share", "lena");
    String staging = activeGrant("lena", "staging-db-admin", List.of("bob"));
    String prodDb = activeGrant("lena", "prod-db-readonly", List.of("bob", "carol"));
    String pending = ask("lena", "prod-logs-readonly");
    String alices = ask("alice", "staging-db-admin");
    Task aliceTask = tasks.createTaskQuery().processInstanceBusinessKey(alices).singleResult();
    tasks.claim(aliceTask.getId(), "lena");
    Door lenasBrowser = new Door(port);
    assertThat(lenasBrowser.webappLogin("tasklist", "lena", "lena-demo").status()).isEqualTo(200);
    assertThat(
            lenasBrowser
                .call("GET", WebappPath.DEFAULT + "/api/engine/engine/default/task/count")
                .send()
                .status())
        .isEqualTo(200);

    Instant asked = Instant.now();
    String id = offboard.get();
    JsonNode done = awaitStatus(id, "COMPLETED");
    Duration took = Duration.between(asked, Instant.parse(done.get("endedAt").asText()));

    // nothing of lena is left in the directory, and her account does not bind
    assertThat(
            connectors
                .named(ConnectorName.of("ldap-group"), Discovery.class)
                .orElseThrow()
                .holdings(Username.of("lena")))
        .isEmpty();
    assertThat(
            connectors
                .named(ConnectorName.of("ldap-group"), AccountControl.class)
                .orElseThrow()
                .isDisabled(Username.of("lena")))
        .isTrue();
    assertThat(door.call("GET", "/api/access-requests").as("lena").send().status())
        .as("her API calls")
        .isEqualTo(401);
    assertThat(
            lenasBrowser
                .call("GET", WebappPath.DEFAULT + "/api/engine/engine/default/task/count")
                .send()
                .status())
        .as("her Tasklist session")
        .isEqualTo(401);
    assertThat(new Door(port).webappLogin("tasklist", "lena", "lena-demo").status()).isEqualTo(401);
    // her grants ended through their own requests, her pending request is cancelled, alice's task
    // is back with team-leads
    for (String grant : List.of(staging, prodDb)) {
      JsonNode r = request("dave", grant);
      assertThat(r.get("status").asText()).as(grant).isEqualTo("REVOKED");
      assertThat(r.get("endedBy").asText()).isEqualTo("offboarding:" + id);
    }
    assertThat(request("dave", pending).get("status").asText()).isEqualTo("CANCELLED");
    Task back = tasks.createTaskQuery().taskId(aliceTask.getId()).singleResult();
    assertThat(back.getAssignee()).isNull();
    assertThat(tasks.getIdentityLinksForTask(back.getId()))
        .anySatisfy(l -> assertThat(l.getGroupId()).isEqualTo("team-leads"));

    // the report says all of it, per system
    JsonNode report = done.get("report");
    assertThat(report.get("personFound").asBoolean()).isTrue();
    assertThat(report.get("findings")).isEmpty();
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
        assertThat(item.get("doneAt").isNull()).as(item.toString()).isFalse();
      }
      bySystem.put(system.get("system").asText(), items);
    }
    assertThat(bySystem.get("ldap-group"))
        .containsExactlyInAnyOrder(
            "ACCOUNT lena -> disabled; the system keeps no sessions",
            "GRANT " + STAGING + " -> ended through its request: REVOKED",
            "GRANT " + PROD_DB + " -> ended through its request: REVOKED",
            "STANDING " + Leavers.groupDn("developers") + " -> removed; read back as gone",
            "STANDING " + Leavers.groupDn("team-leads") + " -> removed; read back as gone",
            "STANDING " + LEGACY + " -> removed; read back as gone");
    assertThat(bySystem.get("portcullis"))
        .containsExactlyInAnyOrder(
            "PENDING_REQUEST prod-logs-readonly -> cancelled while it was being decided",
            "TASK " + aliceTask.getName() + " -> handed back to its groups");
    // and the audit trail tells the same story, under the offboarding's id
    JsonNode trail =
        door.call("GET", "/api/audit?requestId=" + id + "&size=200").as("frank").send().json();
    List<String> actions = trail.get("items").findValuesAsText("action");
    assertThat(actions)
        .contains(
            "offboarding.requested",
            "offboarding.started",
            "account.disabled",
            "holdings.discovered",
            "membership.revoked",
            "task.handed-back",
            "offboarding.verified",
            "offboarding.completed");
    System.out.printf(
        "offboarding of lena (2 grants, 3 standing memberships, 1 pending request, 1 task): %d ms from the call "
            + "(HR or SCIM) to COMPLETED%n",
        took.toMillis());
  }

  @Test
  void theHrApiIsIdempotentRefusesWhatIsNotItsAndUnknownPeople() {
    people.person("mia", "developers");
    Map<String, Object> body =
        Map.of(
            "username",
            "mia",
            "reason",
            "left",
            "hrReference",
            "HR-7",
            "effectiveAt",
            Instant.now().plus(Duration.ofDays(2)).toString());
    assertThat(door.call("POST", "/api/offboardings").json(body).send().status())
        .as("no credentials")
        .isEqualTo(401);
    Door.Answer notHr = door.call("POST", "/api/offboardings").as("alice").json(body).send();
    assertThat(notHr.status()).isEqualTo(403);
    assertThat(notHr.contentType()).startsWith("application/problem+json");
    assertThat(door.call("GET", "/api/offboardings").as("alice").send().status()).isEqualTo(403);

    Door.Answer first = door.call("POST", "/api/offboardings").as("hr-system").json(body).send();
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().get("status").asText()).isEqualTo("SCHEDULED");
    String id = first.json().get("id").asText();
    Door.Answer again = door.call("POST", "/api/offboardings").as("hr-system").json(body).send();
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("id").asText()).isEqualTo(id);
    // another reference for a later time never moves it later (an earlier one or none moves it
    // earlier: OffboardingTrustTest)
    Door.Answer other =
        door.call("POST", "/api/offboardings")
            .as("dave")
            .json(
                Map.of(
                    "username",
                    "MIA",
                    "reason",
                    "left",
                    "hrReference",
                    "HR-8",
                    "effectiveAt",
                    Instant.now().plus(Duration.ofDays(5)).toString()))
            .send();
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.json().get("detail").asText()).contains(id).contains("HR-7");

    for (var bad :
        List.of(
            Map.of("username", "le na", "reason", "x", "hrReference", "H"),
            Map.of("username", "lena", "reason", "", "hrReference", "H"),
            Map.of("username", "lena", "reason", "x", "hrReference", "has space"),
            Map.of(
                "username", "lena", "reason", "x", "hrReference", "H", "effectiveAt", "tomorrow"),
            Map.of(
                "username",
                "lena",
                "reason",
                "x",
                "hrReference",
                "H",
                "effectiveAt",
                "2999-01-01T00:00:00Z"),
            Map.of("username", "lena", "reason", "x", "hrReference", "H", "unknownField", "y"))) {
      Door.Answer refused = door.call("POST", "/api/offboardings").as("hr-system").json(bad).send();
      assertThat(refused.status()).as(bad.toString()).isEqualTo(400);
    }
    // auditors read; HR cancels before the effective time; a second cancel is a conflict
    assertThat(
            door.call("GET", "/api/offboardings?username=mia&status=SCHEDULED")
                .as("frank")
                .send()
                .json()
                .get("totalItems")
                .asInt())
        .isEqualTo(1);
    assertThat(
            door.call("POST", "/api/offboardings/" + id + "/cancel")
                .as("frank")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(403);
    Door.Answer cancelled =
        door.call("POST", "/api/offboardings/" + id + "/cancel")
            .as("hr-system")
            .json(Map.of())
            .send();
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(
            door.call("POST", "/api/offboardings/" + id + "/cancel")
                .as("hr-system")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(409);
    // only an admin resolves, and only an offboarding that needs attention
    assertThat(
            door.call("POST", "/api/offboardings/" + id + "/retry")
                .as("hr-system")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(403);
    assertThat(
            door.call("POST", "/api/offboardings/" + id + "/close")
                .as("dave")
                .json(Map.of("comment", "x"))
                .send()
                .status())
        .isEqualTo(409);
    assertThat(door.call("GET", "/api/access-requests").as("mia").send().status())
        .as("mia was never frozen")
        .isEqualTo(200);

    // an unknown person is refused, saying so: nobody is offboarded by a typo
    Door.Answer unknown =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(Map.of("username", "nobody", "reason", "left", "hrReference", "HR-9"))
            .send();
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("detail").asText()).contains("no person named nobody");
    assertThat(
            door.call("GET", "/api/offboardings/00000000-0000-0000-0000-000000000000")
                .as("dave")
                .send()
                .status())
        .isEqualTo(404);
  }

  private JsonNode awaitStatus(String id, String status) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> door.call("GET", "/api/offboardings/" + id).as("dave").send().json(),
            o -> o.get("status").asText().equals(status));
  }

  private String ask(String requester, String resource) {
    Door.Answer created =
        door.call("POST", "/api/access-requests")
            .as(requester)
            .json(
                Map.of(
                    "resource", resource, "duration", "PT1H", "justification", "end-of-month run"))
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private String activeGrant(String requester, String resource, List<String> approvers) {
    String id = ask(requester, resource);
    for (String approver : approvers) {
      Door.Answer approved =
          door.call("POST", "/api/access-requests/" + id + "/approve")
              .as(approver)
              .json(Map.of())
              .send();
      assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> request("dave", id).get("status").asText(), "ACTIVE"::equals);
    return id;
  }

  private JsonNode request(String user, String id) {
    return door.call("GET", "/api/access-requests/" + id).as(user).send().json();
  }
}
