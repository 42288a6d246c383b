package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.ldap.LdapGroupConnector;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

/**
 * The two-stage chain of the demo organisation through Portcullis' API and the engine's REST API, with
 * the job executor running: prod-db-readonly needs bob, then carol; carol cannot decide stage 1, bob
 * cannot approve twice, alice cannot approve her own; the on-call engineer needs nobody.
 */
// a context of its own: the engine REST API serves the engine started last in this JVM (see DeploymentsThroughTheDoorTest)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"camunda.bpm.job-execution.enabled=true", "portcullis.test.context=approval-chain-api"})
@ActiveProfiles({"demo", "test"})
class ApprovalChainApiTest {

  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";
  static final String PROD_LOGS = "cn=prod-logs-readonly,ou=groups,dc=portcullis,dc=demo";

  @Autowired TestRestTemplate http;
  @Autowired LdapGroupConnector directory;

  @AfterEach
  void cleanUp() {
    directory.revoke("alice", PROD_DB);
    directory.revoke("olivia", PROD_LOGS);
  }

  @Test
  void productionDataNeedsBobThenCarolAndEveryDoorKeepsTheRules() {
    ResponseEntity<JsonNode> created = post("alice", "/api/access-requests",
        Map.of("resource", "prod-db-readonly", "duration", "PT1H", "justification", "check the invoice totals"));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    JsonNode request = created.getBody();
    String id = request.get("id").asText();
    assertThat(request.get("policy").asText()).startsWith("approvalPolicy:");
    assertThat(request.get("stages").findValuesAsText("group")).containsExactly("team-leads", "security");
    assertThat(request.get("stages").get(0).get("quorum").asInt()).isEqualTo(1);

    // stage 1: carol (security, stage 2) sees the request but is not a team lead; alice asked it
    ResponseEntity<JsonNode> carolFirst = post("carol", "/api/access-requests/" + id + "/approve", Map.of());
    assertThat(carolFirst.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(carolFirst.getBody().get("detail").asText()).contains("not in the approver group team-leads of stage 1");
    assertThat(post("alice", "/api/access-requests/" + id + "/approve", Map.of()).getBody().get("detail").asText())
        .contains("cannot decide on their own request");
    assertThat(waitingFor("carol", id)).as("not carol's stage yet").isNull();
    JsonNode waiting = waitingFor("bob", id);
    assertThat(waiting).as("bob may decide stage 1").isNotNull();
    assertThat(waiting.get("taskName").asText()).isEqualTo("Approve prod-db-readonly for alice (PT1H), stage 1 of 2");
    assertThat(waiting.get("stage").asInt()).isEqualTo(1);
    assertThat(waiting.get("stageCount").asInt()).isEqualTo(2);
    assertThat(post("bob", "/api/access-requests/" + id + "/approve", Map.of("comment", "fine")).getStatusCode()).isEqualTo(HttpStatus.OK);

    // stage 2: bob may see it but not decide it again, through either door
    ResponseEntity<JsonNode> again = post("bob", "/api/access-requests/" + id + "/approve", Map.of());
    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(again.getBody().get("detail").asText()).contains("not in the approver group security of stage 2");
    assertThat(waitingFor("bob", id)).isNull();
    String task = waitingFor("carol", id).get("taskId").asText();
    assertThat(post("bob", "/engine-rest/task/" + task + "/complete", Map.of("variables", Map.of("decision", Map.of("value", "approve"))))
        .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(post("carol", "/api/access-requests/" + id + "/approve", Map.of("duration", "PT2H")).getBody().get("detail").asText())
        .contains("never a longer one");
    ResponseEntity<JsonNode> approved = post("carol", "/api/access-requests/" + id + "/approve", Map.of("duration", "PT30M"));
    assertThat(approved.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(approved.getBody().get("decisions").findValuesAsText("approver")).containsExactly("bob", "carol");
    assertThat(approved.getBody().get("stages").findValuesAsText("outcome")).containsExactly("APPROVED", "APPROVED");
    assertThat(approved.getBody().get("approvedDuration").asText()).isEqualTo("PT30M");

    JsonNode active = awaitStatus("alice", id, "ACTIVE");
    // the approved time runs from the first grant attempt
    assertThat(Duration.between(java.time.Instant.parse(active.get("grantAttemptedAt").asText()),
        java.time.Instant.parse(active.get("expiresAt").asText()))).isEqualTo(Duration.ofMinutes(30));
    assertThat(directory.holds("alice", PROD_DB)).isTrue();
  }

  @Test
  void theOnCallEngineerReadsTheLogsWithoutApproval() {
    ResponseEntity<JsonNode> created = post("olivia", "/api/access-requests",
        Map.of("resource", "prod-logs-readonly", "duration", "PT30M", "justification", "paging alert 4711"));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(created.getBody().get("stages")).isEmpty();
    awaitStatus("olivia", created.getBody().get("id").asText(), "ACTIVE");
    assertThat(directory.holds("olivia", PROD_LOGS)).isTrue();

    ResponseEntity<JsonNode> notOnCall = post("alice", "/api/access-requests",
        Map.of("resource", "prod-logs-readonly", "duration", "PT30M", "justification", "curious"));
    assertThat(notOnCall.getBody().get("stages").findValuesAsText("group")).containsExactly("team-leads");
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
    ResponseEntity<JsonNode> answer = http.withBasicAuth(user, user + "-demo").getForEntity("/api/approvals", JsonNode.class);
    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
    return answer.getBody();
  }

  private JsonNode awaitStatus(String user, String id, String status) {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> http.withBasicAuth(user, user + "-demo").getForEntity("/api/access-requests/" + id, JsonNode.class).getBody(),
            body -> status.equals(body.get("status").asText()));
  }

  private ResponseEntity<JsonNode> post(String user, String path, Map<String, ?> body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.withBasicAuth(user, user + "-demo").exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), JsonNode.class);
  }

}
