package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.WebappPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Only Portcullis ends or moves an approval task (issue 24, finding 3). A stage's approver, or a
 * requester who is one, may claim the task for themselves and decide it; throwing a BPMN error or
 * escalation at it, claiming or assigning it to someone else, setting its owner, changing its
 * candidates and delegating are for admins, audited as {@code engine.steered}. Each attempt is made
 * as the attacker made it: through the engine's REST API with HTTP Basic, and through Tasklist's
 * own engine API with a session and its XSRF token.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "portcullis.test.context=task-doors")
@ActiveProfiles({"demo", "test"})
class TaskDoorsTest {

  static final String WEBAPP_ENGINE = WebappPath.DEFAULT + "/api/engine/engine/default";

  @LocalServerPort int port;
  Door door;

  @BeforeEach
  void open() {
    door = new Door(port);
  }

  @Test
  void anApproverThrowsAnyErrorAtTheTask_thenRefusedAndTheRequestStillWaits() {
    String id = create("alice");
    String task = taskOf(id);
    for (String code :
        List.of(
            "RequestLapsed", "AccessDenied", AccessProcess.ERROR_REQUESTER_LEFT, "NoSuchCode")) {
      Answer error =
          door.call("POST", "/engine-rest/task/" + task + "/bpmnError")
              .as("bob")
              .json(Map.of("errorCode", code, "errorMessage", "no decision within PT24H"))
              .send();
      assertThat(error.status()).as(code + ": " + error.body()).isEqualTo(403);
      assertThat(error.body()).doesNotContain("io.portcullis").doesNotContain("Exception:");
    }
    Answer escalation =
        door.call("POST", "/engine-rest/task/" + task + "/bpmnEscalation")
            .as("bob")
            .json(Map.of("escalationCode", "anything"))
            .send();
    assertThat(escalation.status()).as(escalation.body()).isEqualTo(403);

    assertStillWaiting(id, "alice", task);
    assertThat(refusals("bob", task))
        .containsOnly("HandleTaskBpmnErrorCmd", "HandleTaskEscalationCmd")
        .hasSize(5);
    assertThat(auditOf(id).findValuesAsText("action")).containsExactly("access.requested");
  }

  @Test
  void aRequesterWhoApprovesTooEndsNoTaskOfTheirOwn() {
    String id = create("bob");
    String task = taskOf(id);
    for (String code : List.of("RequestLapsed", "AccessDenied")) {
      assertThat(
              door.call("POST", "/engine-rest/task/" + task + "/bpmnError")
                  .as("bob")
                  .json(Map.of("errorCode", code))
                  .send()
                  .status())
          .isEqualTo(403);
    }
    assertThat(
            door.call("POST", "/engine-rest/task/" + task + "/claim")
                .as("bob")
                .json(Map.of("userId", "alice"))
                .send()
                .status())
        .isEqualTo(403);
    assertStillWaiting(id, "bob", task);
  }

  @Test
  void aCandidateClaimsForThemselvesOnly_andMovesTheTaskNoOtherWay() {
    String id = create("alice");
    String task = taskOf(id);
    String base = "/engine-rest/task/" + task;
    List<Door.Call> attempts =
        List.of(
            door.call("POST", base + "/claim").as("bob").json(Map.of("userId", "alice")),
            door.call("POST", base + "/claim").as("bob").json(Map.of("userId", "carol")),
            door.call("POST", base + "/assignee").as("bob").json(Map.of("userId", "alice")),
            door.call("POST", base + "/delegate").as("bob").json(Map.of("userId", "carol")),
            door.call("POST", base + "/resolve").as("bob").json(Map.of()),
            door.call("POST", base + "/identity-links")
                .as("bob")
                .json(Map.of("userId", "alice", "type", "assignee")),
            door.call("POST", base + "/identity-links")
                .as("bob")
                .json(Map.of("userId", "alice", "type", "owner")),
            door.call("POST", base + "/identity-links")
                .as("bob")
                .json(Map.of("groupId", "developers", "type", "candidate")),
            door.call("POST", base + "/identity-links/delete")
                .as("bob")
                .json(Map.of("groupId", "team-leads", "type", "candidate")),
            door.call("PUT", base)
                .as("bob")
                .json(Map.of("name", "Approve nothing", "assignee", "alice", "owner", "bob")));
    for (Door.Call attempt : attempts) {
      Answer answer = attempt.send();
      assertThat(answer.status()).as(answer.body()).isEqualTo(403);
    }
    assertStillWaiting(id, "alice", task);
    assertThat(refusals("bob", task)).hasSize(attempts.size());

    // for themselves, as Tasklist's "Claim" does, and back again
    assertThat(
            door.call("POST", base + "/claim")
                .as("bob")
                .json(Map.of("userId", "bob"))
                .send()
                .status())
        .isEqualTo(204);
    assertThat(task(task).get("assignee").asText()).isEqualTo("bob");
    // a task claimed by someone is not given back by another; the holder gives it back with an
    // empty claim
    assertThat(door.call("POST", base + "/unclaim").as("carol").send().status()).isEqualTo(403);
    assertThat(
            door.call("POST", base + "/claim")
                .as("carol")
                .raw("{\"userId\":null}", "application/json")
                .send()
                .status())
        .isEqualTo(403);
    assertThat(task(task).get("assignee").asText()).isEqualTo("bob");
    assertThat(
            door.call("POST", base + "/claim")
                .as("bob")
                .raw("{\"userId\":null}", "application/json")
                .send()
                .status())
        .isEqualTo(204);
    assertThat(task(task).get("assignee").isNull()).isTrue();
    assertThat(auditOf(id).findValuesAsText("action")).doesNotContain("engine.steered");
  }

  @Test
  void tasklistsOwnApiRefusesTheSame() {
    String id = create("alice");
    String task = taskOf(id);
    assertThat(door.webappLogin("tasklist", "bob", Door.demo("bob")).status()).isEqualTo(200);
    door.call("GET", WEBAPP_ENGINE + "/task/" + task).send();
    String base = WEBAPP_ENGINE + "/task/" + task;

    Answer error =
        door.call("POST", base + "/bpmnError")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of("errorCode", "RequestLapsed"))
            .send();
    assertThat(error.status()).as(error.body()).isEqualTo(403);
    Answer escalation =
        door.call("POST", base + "/bpmnEscalation")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of("escalationCode", "anything"))
            .send();
    assertThat(escalation.status()).as(escalation.body()).isEqualTo(403);
    Answer claimForAlice =
        door.call("POST", base + "/claim")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of("userId", "alice"))
            .send();
    assertThat(claimForAlice.status()).as(claimForAlice.body()).isEqualTo(403);
    assertStillWaiting(id, "alice", task);
    assertThat(refusals("bob", task))
        .containsExactlyInAnyOrder(
            "HandleTaskBpmnErrorCmd", "HandleTaskEscalationCmd", "ClaimTaskCmd");

    Answer claimForBob =
        door.call("POST", base + "/claim")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of("userId", "bob"))
            .send();
    assertThat(claimForBob.status()).as(claimForBob.body()).isEqualTo(204);
  }

  @Test
  void someoneOutsideTheStageDecidesAtNoDoor_andItsApproverStillDoes() {
    // /api runs its engine calls without the engine's authorization checks (issue 31): its own
    // check refuses, and every other door keeps the engine's
    String id = create("alice");
    String task = taskOf(id);
    Answer rest =
        door.call("POST", "/engine-rest/task/" + task + "/complete")
            .as("carol")
            .json(Map.of())
            .send();
    assertThat(rest.status()).as(rest.body()).isEqualTo(403);
    assertThat(door.webappLogin("tasklist", "carol", Door.demo("carol")).status()).isEqualTo(200);
    door.call("GET", WEBAPP_ENGINE + "/task/count").send();
    Answer tasklist =
        door.call("POST", WEBAPP_ENGINE + "/task/" + task + "/complete")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of())
            .send();
    assertThat(tasklist.status()).as(tasklist.body()).isEqualTo(403);
    // an auditor sees the request, and is in no stage of it
    Answer api =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("frank")
            .json(Map.of())
            .send();
    assertThat(api.status()).as(api.body()).isEqualTo(403);
    assertStillWaiting(id, "alice", task);

    Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of())
            .send();
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(door.call("GET", "/engine-rest/task/" + task).as("dave").send().status())
        .isEqualTo(404);
  }

  @Test
  void anAdminSteersATask_thenItIsAuditedAndAnEarlyLapseIsNoLapse() {
    String id = create("alice");
    String task = taskOf(id);
    Answer claim =
        door.call("POST", "/engine-rest/task/" + task + "/claim")
            .as("dave")
            .json(Map.of("userId", "bob"))
            .send();
    assertThat(claim.status()).as(claim.body()).isEqualTo(204);
    assertThat(task(task).get("assignee").asText()).isEqualTo("bob");

    Answer lapse =
        door.call("POST", "/engine-rest/task/" + task + "/bpmnError")
            .as("dave")
            .json(Map.of("errorCode", "RequestLapsed"))
            .send();
    assertThat(lapse.status()).as(lapse.body()).isEqualTo(204);

    JsonNode request = door.call("GET", "/api/access-requests/" + id).as("alice").send().json();
    assertThat(request.get("status").asText())
        .as("the deadline had not passed")
        .isEqualTo("CANCELLED");
    assertThat(request.get("endedBy").asText()).isEqualTo("dave");
    assertThat(request.get("endReason").asText()).contains("before its deadline");
    List<String> steered = new ArrayList<>();
    door.call("GET", "/api/audit?action=engine.steered&actor=dave&size=200")
        .as("frank")
        .send()
        .json()
        .get("items")
        .forEach(
            e -> {
              if (task.equals(e.path("details").path("taskId").asText())) {
                steered.add(e.path("details").path("operation").asText());
              }
            });
    assertThat(steered).containsExactlyInAnyOrder("ClaimTaskCmd", "HandleTaskBpmnErrorCmd");
    assertThat(auditOf(id).findValuesAsText("action"))
        .as("newest first")
        .containsExactly("access.cancelled", "access.requested");
  }

  // --- helpers

  private String create(String requester) {
    Answer created =
        door.call("POST", "/api/access-requests")
            .as(requester)
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT1H",
                    "justification",
                    "task doors " + requester))
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private String taskOf(String businessKey) {
    return door.call("GET", "/engine-rest/task?processInstanceBusinessKey=" + businessKey)
        .as("dave")
        .send()
        .json()
        .get(0)
        .get("id")
        .asText();
  }

  private JsonNode task(String taskId) {
    return door.call("GET", "/engine-rest/task/" + taskId).as("dave").send().json();
  }

  /**
   * The request is still pending, its task still there, unassigned, offered to its stage's group
   * only.
   */
  private void assertStillWaiting(String id, String requester, String taskId) {
    JsonNode request = door.call("GET", "/api/access-requests/" + id).as(requester).send().json();
    assertThat(request.get("status").asText()).isEqualTo("PENDING");
    assertThat(request.get("endedBy").isNull()).isTrue();
    JsonNode task = task(taskId);
    assertThat(task.get("id").asText()).isEqualTo(taskId);
    assertThat(task.get("assignee").isNull()).as("assignee").isTrue();
    assertThat(task.get("owner").isNull()).as("owner").isTrue();
    assertThat(task.get("delegationState").isNull()).as("delegation").isTrue();
    assertThat(task.get("name").asText()).startsWith("Approve staging-db-admin for " + requester);
    JsonNode links =
        door.call("GET", "/engine-rest/task/" + taskId + "/identity-links")
            .as("dave")
            .send()
            .json();
    assertThat(links.findValuesAsText("groupId")).containsExactly("team-leads");
  }

  /** What the caller tried at this task and was refused, by the engine command's name. */
  private List<String> refusals(String actor, String taskId) {
    List<String> attempted = new ArrayList<>();
    door.call("GET", "/api/audit?action=action.refused&actor=" + actor + "&size=200")
        .as("frank")
        .send()
        .json()
        .get("items")
        .forEach(
            e -> {
              if (taskId.equals(e.path("details").path("taskId").asText())) {
                attempted.add(e.path("details").path("attempted").asText());
              }
            });
    return attempted;
  }

  private JsonNode auditOf(String requestId) {
    return door.call("GET", "/api/audit?requestId=" + requestId + "&size=100")
        .as("frank")
        .send()
        .json()
        .get("items");
  }
}
