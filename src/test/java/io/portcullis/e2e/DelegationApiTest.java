package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Delegation (issue 29) through Portcullis' API and the engine's REST API, with the job executor
 * running: carol delegates to dave, and dave approves stage 2 of alice's request in her place;
 * olivia, a delegate with no approver group, completes through {@code /engine-rest} while her
 * delegation is in force and is refused after it ended; the delegate who asked is refused; who may
 * see and end a delegation.
 */
// ApprovalChainApiTest's context: the engine REST API serves the engine started last in this JVM
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "camunda.bpm.job-execution.enabled=true",
      "portcullis.test.context=approval-chain-api"
    })
@ActiveProfiles({"demo", "test"})
class DelegationApiTest {

  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";

  @Autowired TestRestTemplate http;
  @Autowired LdapGroupConnector directory;
  @Autowired JdbcTemplate jdbc;

  @AfterEach
  void cleanUp() {
    directory.revoke(Username.of("alice"), Target.of(PROD_DB));
    directory.revoke(Username.of("erin"), Target.of(PROD_DB));
    // the delegations end with the test, so that the next one's approvers are their own
    jdbc.update(
        "update approval_delegation set ended_at = current_timestamp where ended_at is null");
  }

  @Test
  void carolDelegatesToDaveAndDaveApprovesInHerPlace() {
    String id = atStageTwo("alice");
    String until =
        Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS).toString();

    assertThat(delegate("carol", "carol", until).getBody().get("detail").asText())
        .contains("to: is the delegator");
    ResponseEntity<JsonNode> unknown = delegate("carol", "nobody", until);
    assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(unknown.getBody().get("detail").asText()).contains("to: no person nobody");
    ResponseEntity<JsonNode> created = delegate("carol", "DAVE", until);
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    JsonNode delegation = created.getBody();
    assertThat(delegation.get("delegator").asText()).isEqualTo("carol");
    assertThat(delegation.get("to").asText()).as("the directory's own name").isEqualTo("dave");
    assertThat(delegation.get("status").asText()).isEqualTo("IN_FORCE");
    assertThat(delegation.get("until").asText()).isEqualTo(until);
    assertThat(ids(list("carol"))).contains(delegation.get("id").asText());
    assertThat(ids(list("alice"))).doesNotContain(delegation.get("id").asText());

    JsonNode waiting = waitingFor("dave", id);
    assertThat(waiting).as("dave may decide stage 2 for carol").isNotNull();
    assertThat(waiting.get("onBehalfOf").asText()).isEqualTo("carol");
    ResponseEntity<JsonNode> approved =
        post("dave", "/api/access-requests/" + id + "/approve", Map.of("comment", "for carol"));
    assertThat(approved.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode decisions = approved.getBody().get("decisions");
    assertThat(decisions.findValuesAsText("approver")).containsExactly("bob", "dave");
    assertThat(decisions.get(0).get("onBehalfOf").isNull()).isTrue();
    assertThat(decisions.get(1).get("onBehalfOf").asText()).isEqualTo("carol");

    JsonNode active = awaitStatus("alice", id, "ACTIVE");
    assertThat(directory.holds(Username.of("alice"), Target.of(PROD_DB))).isTrue();
    List<String> decided = new ArrayList<>();
    for (JsonNode event : active.get("history")) {
      if (event.get("action").asText().equals("access.decided")) {
        decided.add(
            event.get("actor").asText()
                + " for "
                + event.get("details").path("onBehalfOf").asText());
      }
    }
    assertThat(decided).containsExactly("bob for ", "dave for carol");
  }

  @Test
  void olivaDecidesThroughTheEngineRestApiOnlyWhileHerDelegationIsInForce() {
    String id = atStageTwo("alice");
    String until = Instant.now().plus(Duration.ofDays(1)).toString();
    String delegationId = delegate("carol", "olivia", until).getBody().get("id").asText();

    // who ends it: the delegate is refused, an outsider does not see it
    assertThat(end("olivia", delegationId).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(end("alice", delegationId).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(waitingFor("olivia", id)).isNotNull();
    String task = waitingFor("olivia", id).get("taskId").asText();
    assertThat(engineRestTasks("olivia")).contains(task);
    assertThat(tasklistFilter("olivia")).contains(task);

    ResponseEntity<JsonNode> ended = end("carol", delegationId);
    assertThat(ended.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(ended.getBody().get("status").asText()).isEqualTo("ENDED");
    assertThat(ended.getBody().get("endedBy").asText()).isEqualTo("carol");
    assertThat(end("carol", delegationId).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(waitingFor("olivia", id)).isNull();
    assertThat(engineRestTasks("olivia")).doesNotContain(task);
    assertThat(tasklistFilter("olivia")).doesNotContain(task);
    assertThat(complete("olivia", task).getStatusCode())
        .isIn(HttpStatus.FORBIDDEN, HttpStatus.NOT_FOUND);

    // a new delegation: the engine's door lets her decide, in carol's name
    delegate("carol", "olivia", until);
    assertThat(engineRestTasks("olivia")).contains(task);
    assertThat(complete("olivia", task).getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
    JsonNode active = awaitStatus("alice", id, "ACTIVE");
    assertThat(active.get("decisions").get(1).get("approver").asText()).isEqualTo("olivia");
    assertThat(active.get("decisions").get(1).get("onBehalfOf").asText()).isEqualTo("carol");
  }

  @Test
  void aDelegateWhoAskedIsRefusedAtEveryDoor() {
    String id = atStageTwo("erin");
    delegate("carol", "erin", Instant.now().plus(Duration.ofDays(1)).toString());

    assertThat(waitingFor("erin", id)).isNull();
    ResponseEntity<JsonNode> own =
        post("erin", "/api/access-requests/" + id + "/approve", Map.of());
    assertThat(own.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(own.getBody().get("detail").asText()).contains("cannot decide on their own request");
    String task = waitingFor("carol", id).get("taskId").asText();
    assertThat(complete("erin", task).getStatusCode())
        .isIn(HttpStatus.FORBIDDEN, HttpStatus.NOT_FOUND);
  }

  /**
   * Issue 29: the policy names no group of alice's as an approver group: she has none to hand on.
   */
  @Test
  void someoneWhoApprovesNothingIsRefusedToDelegate() {
    ResponseEntity<JsonNode> refused =
        delegate("alice", "erin", Instant.now().plus(Duration.ofDays(1)).toString());
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(refused.getBody().get("detail").asText()).contains("only an approver delegates");
    assertThat(ids(list("alice"))).isEmpty();
  }

  /** A request of this developer for prod-db-readonly, approved by bob in stage 1. */
  private String atStageTwo(String requester) {
    ResponseEntity<JsonNode> created =
        post(
            requester,
            "/api/access-requests",
            Map.of(
                "resource",
                "prod-db-readonly",
                "duration",
                "PT1H",
                "justification",
                "check the invoice totals"));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = created.getBody().get("id").asText();
    assertThat(post("bob", "/api/access-requests/" + id + "/approve", Map.of()).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    return id;
  }

  private ResponseEntity<JsonNode> delegate(String user, String to, String until) {
    return post(user, "/api/delegations", Map.of("to", to, "until", until, "reason", "on holiday"));
  }

  private JsonNode list(String user) {
    return http.withBasicAuth(user, user + "-demo")
        .getForEntity("/api/delegations", JsonNode.class)
        .getBody();
  }

  private static List<String> ids(JsonNode delegations) {
    List<String> ids = new ArrayList<>();
    delegations.forEach(d -> ids.add(d.get("id").asText()));
    return ids;
  }

  private ResponseEntity<JsonNode> end(String user, String id) {
    return post(user, "/api/delegations/" + id + "/end", Map.of());
  }

  private ResponseEntity<JsonNode> complete(String user, String task) {
    return post(
        user,
        "/engine-rest/task/" + task + "/complete",
        Map.of("variables", Map.of("decision", Map.of("value", "approve"))));
  }

  /** The approval tasks the engine's REST API lists for this person as a candidate. */
  private List<String> engineRestTasks(String user) {
    JsonNode tasks =
        http.withBasicAuth(user, user + "-demo")
            .getForEntity(
                "/engine-rest/task?taskDefinitionKey=userTask_approveAccess&candidateUser=" + user,
                JsonNode.class)
            .getBody();
    List<String> ids = new ArrayList<>();
    tasks.forEach(t -> ids.add(t.get("id").asText()));
    return ids;
  }

  /** What Tasklist's filter "Approvals for me, delegated ones too" lists for this person. */
  private List<String> tasklistFilter(String user) {
    JsonNode filters =
        http.withBasicAuth(user, user + "-demo")
            .getForEntity(
                "/engine-rest/filter?name=Approvals for me, delegated ones too", JsonNode.class)
            .getBody();
    assertThat(filters).hasSize(1);
    JsonNode tasks =
        http.withBasicAuth(user, user + "-demo")
            .getForEntity(
                "/engine-rest/filter/" + filters.get(0).get("id").asText() + "/list",
                JsonNode.class)
            .getBody();
    List<String> ids = new ArrayList<>();
    tasks.forEach(t -> ids.add(t.get("id").asText()));
    return ids;
  }

  /** The approval of this request that the user may decide now, or null. */
  private JsonNode waitingFor(String user, String requestId) {
    JsonNode answer =
        http.withBasicAuth(user, user + "-demo")
            .getForEntity("/api/approvals?size=200", JsonNode.class)
            .getBody();
    for (JsonNode waiting : answer.get("items")) {
      if (waiting.get("requestId").asText().equals(requestId)) {
        return waiting;
      }
    }
    return null;
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
