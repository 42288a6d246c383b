package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.Door;
import io.portcullis.support.WebappPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

/**
 * The two-stage chain of the demo organisation through Portcullis' API and the engine's REST API,
 * with the job executor running: prod-db-readonly needs bob, then carol; carol cannot decide stage
 * 1, bob cannot approve twice, alice cannot approve her own; the on-call engineer needs nobody.
 */
// a context of its own: the engine REST API serves the engine started last in this JVM (see
// DeploymentsThroughTheDoorTest)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "camunda.bpm.job-execution.enabled=true",
      "portcullis.test.context=approval-chain-api"
    })
@ActiveProfiles({"demo", "test"})
class ApprovalChainApiTest {

  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";
  static final String PROD_LOGS = "cn=prod-logs-readonly,ou=groups,dc=portcullis,dc=demo";

  static final String WEBAPP_ENGINE = WebappPath.DEFAULT + "/api/engine/engine/default";

  @Autowired TestRestTemplate http;
  @LocalServerPort int port;
  @Autowired LdapGroupConnector directory;

  @AfterEach
  void cleanUp() {
    directory.revoke(Username.of("alice"), Target.of(PROD_DB));
    directory.revoke(Username.of("olivia"), Target.of(PROD_LOGS));
  }

  @Test
  void productionDataNeedsBobThenCarolAndEveryDoorKeepsTheRules() {
    ResponseEntity<JsonNode> created =
        post(
            "alice",
            "/api/access-requests",
            Map.of(
                "resource",
                "prod-db-readonly",
                "duration",
                "PT1H",
                "justification",
                "check the invoice totals"));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    JsonNode request = created.getBody();
    String id = request.get("id").asText();
    assertThat(request.get("policy").asText()).startsWith("approvalPolicy:");
    assertThat(request.get("stages").findValuesAsText("group"))
        .containsExactly("team-leads", "security");
    assertThat(request.get("stages").get(0).get("quorum").asInt()).isEqualTo(1);

    // stage 1: carol (security, stage 2) sees the request but is not a team lead; alice asked it
    ResponseEntity<JsonNode> carolFirst =
        post("carol", "/api/access-requests/" + id + "/approve", Map.of());
    assertThat(carolFirst.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(carolFirst.getBody().get("detail").asText())
        .contains("not in the approver group team-leads of stage 1");
    assertThat(
            post("alice", "/api/access-requests/" + id + "/approve", Map.of())
                .getBody()
                .get("detail")
                .asText())
        .contains("cannot decide on their own request");
    assertThat(waitingFor("carol", id)).as("not carol's stage yet").isNull();
    JsonNode waiting = waitingFor("bob", id);
    assertThat(waiting).as("bob may decide stage 1").isNotNull();
    assertThat(waiting.get("taskName").asText())
        .isEqualTo("Approve prod-db-readonly for alice (PT1H), stage 1 of 2");
    assertThat(waiting.get("stage").asInt()).isEqualTo(1);
    assertThat(waiting.get("stageCount").asInt()).isEqualTo(2);
    assertThat(
            post("bob", "/api/access-requests/" + id + "/approve", Map.of("comment", "fine"))
                .getStatusCode())
        .isEqualTo(HttpStatus.OK);

    // stage 2: bob may see it but not decide it again, through either door
    ResponseEntity<JsonNode> again =
        post("bob", "/api/access-requests/" + id + "/approve", Map.of());
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(again.getBody().get("detail").asText())
        .contains("not in the approver group security of stage 2");
    assertThat(waitingFor("bob", id)).isNull();
    String task = waitingFor("carol", id).get("taskId").asText();
    assertThat(
            post(
                    "bob",
                    "/engine-rest/task/" + task + "/complete",
                    Map.of("variables", Map.of("decision", Map.of("value", "approve"))))
                .getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(
            post("carol", "/api/access-requests/" + id + "/approve", Map.of("duration", "PT2H"))
                .getBody()
                .get("detail")
                .asText())
        .contains("never a longer one");
    ResponseEntity<JsonNode> approved =
        post("carol", "/api/access-requests/" + id + "/approve", Map.of("duration", "PT30M"));
    assertThat(approved.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(approved.getBody().get("decisions").findValuesAsText("approver"))
        .containsExactly("bob", "carol");
    assertThat(approved.getBody().get("stages").findValuesAsText("outcome"))
        .containsExactly("APPROVED", "APPROVED");
    assertThat(approved.getBody().get("approvedDuration").asText()).isEqualTo("PT30M");

    JsonNode active = awaitStatus("alice", id, "ACTIVE");
    // the approved time runs from the first grant attempt
    assertThat(
            Duration.between(
                Instant.parse(active.get("grantAttemptedAt").asText()),
                Instant.parse(active.get("expiresAt").asText())))
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(directory.holds(Username.of("alice"), Target.of(PROD_DB))).isTrue();
  }

  /**
   * Issue 24, findings 8 and 11, through the doors an approver uses: a comment with a line break is
   * refused at /api, at the engine's REST API and in Tasklist; carol's Tasklist form gets the
   * decisions so far as a JSON list (a row each, as the form's table shows them) and what her
   * approval would grant (bob's shorter time) beside the duration asked, as /api/approvals does;
   * her form's submission decides.
   */
  @Test
  void theSecondApproverSeesRowsAndWhatHerApprovalGrantsAtEveryDoor() throws Exception {
    String id =
        post(
                "alice",
                "/api/access-requests",
                Map.of(
                    "resource",
                    "prod-db-readonly",
                    "duration",
                    "PT1H",
                    "justification",
                    "check the invoice totals"))
            .getBody()
            .get("id")
            .asText();
    String firstTask = waitingFor("bob", id).get("taskId").asText();
    ResponseEntity<JsonNode> twoLines =
        post(
            "bob",
            "/api/access-requests/" + id + "/approve",
            Map.of("comment", "fine\n2026-03-02T09:00:00Z  stage 2  carol  APPROVE"));
    assertThat(twoLines.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(twoLines.getBody().get("errors").get(0).get("field").asText()).isEqualTo("comment");
    assertThat(
            post(
                    "bob",
                    "/engine-rest/task/" + firstTask + "/complete",
                    Map.of(
                        "variables",
                        Map.of(
                            "decision",
                            Map.of("value", "approve"),
                            "decisionComment",
                            Map.of("value", "fine\r\ncarol: APPROVE"))))
                .getStatusCode())
        .isEqualTo(HttpStatus.BAD_REQUEST);
    // a comment given as a JSON object of the form's own row type is no text either: 400, never
    // stored
    ResponseEntity<JsonNode> asObject =
        post(
            "bob",
            "/engine-rest/task/" + firstTask + "/complete",
            Map.of(
                "variables",
                Map.of(
                    "decision",
                    Map.of("value", "approve"),
                    "decisionComment",
                    Map.of(
                        "type",
                        "Object",
                        "value",
                        "[{\"approver\":\"carol\"}]",
                        "valueInfo",
                        Map.of(
                            "objectTypeName",
                            "portcullis.FormRows",
                            "serializationDataFormat",
                            "application/json")))));
    assertThat(asObject.getStatusCode())
        .as(String.valueOf(asObject.getBody()))
        .isEqualTo(HttpStatus.BAD_REQUEST);
    String lookalike = "fine 2026-03-02T09:00:00Z  stage 2  carol  APPROVE";
    assertThat(
            post(
                    "bob",
                    "/api/access-requests/" + id + "/approve",
                    Map.of("comment", lookalike, "duration", "PT30M"))
                .getStatusCode())
        .isEqualTo(HttpStatus.OK);

    JsonNode waiting = waitingFor("carol", id);
    assertThat(waiting.get("duration").asText()).isEqualTo("PT1H");
    assertThat(waiting.get("grantedIfApproved").asText()).isEqualTo("PT30M");
    assertThat(waiting.get("taskName").asText())
        .isEqualTo("Approve prod-db-readonly for alice (PT30M of PT1H asked), stage 2 of 2");

    Door door = new Door(port);
    assertThat(door.webappLogin("tasklist", "carol", Door.demo("carol")).status()).isEqualTo(200);
    String task = waiting.get("taskId").asText();
    JsonNode variables =
        door.call(
                "GET", WEBAPP_ENGINE + "/task/" + task + "/form-variables?deserializeValues=false")
            .send()
            .json();
    assertThat(variables.get("duration").get("value").asText()).isEqualTo("PT1H");
    assertThat(variables.get("grantedIfApproved").get("value").asText())
        .isEqualTo("PT30M (approved so far; PT1H was asked)");
    JsonNode decisions = variables.get("decisionsSoFar");
    // what Tasklist parses into a list for the form's table: Object, application/json
    assertThat(decisions.get("type").asText()).isEqualTo("Object");
    assertThat(decisions.get("valueInfo").get("serializationDataFormat").asText())
        .isEqualTo("application/json");
    JsonNode rows = new ObjectMapper().readTree(decisions.get("value").asText());
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("approver").asText()).isEqualTo("bob");
    assertThat(rows.get(0).get("decision").asText()).isEqualTo("APPROVE");
    assertThat(rows.get(0).get("duration").asText()).isEqualTo("PT30M");
    assertThat(rows.get(0).get("comment").asText()).isEqualTo(lookalike);
    JsonNode form =
        door.call("GET", WEBAPP_ENGINE + "/task/" + task + "/deployed-form").send().json();
    assertThat(component(form, "table_decisionsSoFar").get("dataSource").asText())
        .isEqualTo("=decisionsSoFar");
    assertThat(component(form, "field_grantedIfApproved").get("key").asText())
        .isEqualTo("grantedIfApproved");
    assertThat(form.toString()).doesNotContain("approve the duration asked");

    // the rows are Portcullis' to write: an approver cannot put a forged one there, in the form's
    // own type
    Map<String, Object> forgedRows =
        Map.of(
            "type",
            "Object",
            "value",
            "[{\"approver\":\"dave\",\"decision\":\"APPROVE\"}]",
            "valueInfo",
            Map.of(
                "objectTypeName",
                "portcullis.FormRows",
                "serializationDataFormat",
                "application/json"));
    for (String path : List.of("/localVariables/decisionsSoFar", "/variables/decisionsSoFar")) {
      ResponseEntity<JsonNode> forged =
          put("carol", "/engine-rest/task/" + task + path, forgedRows);
      assertThat(forged.getStatusCode()).as(path).isEqualTo(HttpStatus.FORBIDDEN);
    }

    // what Tasklist submits: the form's keyed fields that are not read-only
    Door.Answer longer =
        door.call("POST", WEBAPP_ENGINE + "/task/" + task + "/submit-form")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(
                Map.of(
                    "variables",
                    Map.of(
                        "decision",
                        Map.of("value", "approve"),
                        "approvedDuration",
                        Map.of("value", "PT45M"),
                        "decisionComment",
                        Map.of("value", ""))))
            .send();
    assertThat(longer.status()).isEqualTo(400);
    assertThat(longer.json().get("message").asText()).contains("never a longer one");
    Door.Answer submitted =
        door.call("POST", WEBAPP_ENGINE + "/task/" + task + "/submit-form")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(
                Map.of(
                    "variables",
                    Map.of(
                        "decision",
                        Map.of("value", "approve"),
                        "approvedDuration",
                        Map.of("value", ""),
                        "decisionComment",
                        Map.of("value", "read-only is fine"))))
            .send();
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(204);
    JsonNode active = awaitStatus("alice", id, "ACTIVE");
    assertThat(
            Duration.between(
                Instant.parse(active.get("grantAttemptedAt").asText()),
                Instant.parse(active.get("expiresAt").asText())))
        .as("bob's shorter time")
        .isEqualTo(Duration.ofMinutes(30));
  }

  private ResponseEntity<JsonNode> put(String user, String path, Map<String, ?> body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.withBasicAuth(user, user + "-demo")
        .exchange(path, HttpMethod.PUT, new HttpEntity<>(body, headers), JsonNode.class);
  }

  private static JsonNode component(JsonNode form, String id) {
    for (JsonNode component : form.get("components")) {
      if (id.equals(component.path("id").asText())) {
        return component;
      }
    }
    throw new AssertionError("no component " + id + " in " + form);
  }

  @Test
  void theOnCallEngineerReadsTheLogsWithoutApproval() {
    ResponseEntity<JsonNode> created =
        post(
            "olivia",
            "/api/access-requests",
            Map.of(
                "resource",
                "prod-logs-readonly",
                "duration",
                "PT30M",
                "justification",
                "paging alert 4711"));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(created.getBody().get("stages")).isEmpty();
    awaitStatus("olivia", created.getBody().get("id").asText(), "ACTIVE");
    assertThat(directory.holds(Username.of("olivia"), Target.of(PROD_LOGS))).isTrue();

    // the waiver is "at most 60 minutes": an hour passes, an hour and 59.999 seconds does not
    ResponseEntity<JsonNode> anHour =
        post(
            "olivia",
            "/api/access-requests",
            Map.of(
                "resource",
                "prod-logs-readonly",
                "duration",
                "PT1H",
                "justification",
                "paging alert 4712"));
    assertThat(anHour.getBody().get("stages")).isEmpty();
    for (String longer : List.of("PT1H0M59.999S", "PT1H0.000000001S")) {
      ResponseEntity<JsonNode> tooLong =
          post(
              "olivia",
              "/api/access-requests",
              Map.of(
                  "resource",
                  "prod-logs-readonly",
                  "duration",
                  longer,
                  "justification",
                  "paging alert 4713"));
      assertThat(tooLong.getStatusCode()).isEqualTo(HttpStatus.CREATED);
      assertThat(tooLong.getBody().get("stages").findValuesAsText("group"))
          .as(longer)
          .containsExactly("team-leads");
    }

    ResponseEntity<JsonNode> notOnCall =
        post(
            "alice",
            "/api/access-requests",
            Map.of(
                "resource", "prod-logs-readonly", "duration", "PT30M", "justification", "curious"));
    assertThat(notOnCall.getBody().get("stages").findValuesAsText("group"))
        .containsExactly("team-leads");
  }

  /** The approval of this request that the user may decide now, or null. */
  private JsonNode waitingFor(String user, String requestId) {
    for (JsonNode waiting : approvalsOf(user)) {
      if (waiting.get("requestId").asText().equals(requestId)) {
        return waiting;
      }
    }
    return null;
  }

  private JsonNode approvalsOf(String user) {
    ResponseEntity<JsonNode> answer =
        http.withBasicAuth(user, user + "-demo")
            .getForEntity("/api/approvals?size=200", JsonNode.class);
    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(answer.getBody().get("totalItems").asLong())
        .as("all on one page")
        .isEqualTo(answer.getBody().get("items").size());
    return answer.getBody().get("items");
  }

  private JsonNode awaitStatus(String user, String id, String status) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                http.withBasicAuth(user, user + "-demo")
                    .getForEntity("/api/access-requests/" + id, JsonNode.class)
                    .getBody(),
            body -> status.equals(body.get("status").asText()));
  }

  private ResponseEntity<JsonNode> post(String user, String path, Map<String, ?> body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.withBasicAuth(user, user + "-demo")
        .exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), JsonNode.class);
  }
}
