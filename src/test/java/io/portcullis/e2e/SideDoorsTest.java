package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.WebappPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The attacks that once worked (issue 11), each made as the attacker made it: through a real HTTP
 * door of the running product (Portcullis' API, the engine's REST API, Tasklist's own API),
 * asserting the refusal, its audit record, and that nothing changed in the directory or the read
 * model.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "camunda.bpm.job-execution.enabled=true",
      "portcullis.public-url=https://portcullis.test",
      "portcullis.cross-site.allowed-origins=https://Admin.Portcullis.test/"
    })
@ActiveProfiles({"demo", "test"})
class SideDoorsTest {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @LocalServerPort int port;
  @Autowired LdapGroupConnector directory;
  @Autowired JdbcTemplate jdbc;
  Door door;

  @BeforeEach
  void open() {
    door = new Door(port);
  }

  @AfterEach
  void cleanUp() {
    for (String user : List.of("alice", "bob", "erin")) {
      directory.revoke(Username.of(user), Target.of(STAGING));
    }
  }

  @Test
  void selfApprovalByTheCaseOfANameIsRefusedAtEveryDoor() {
    String id = create("bob");
    String task = taskOf(id);

    for (String spelling : List.of("BOB", "Bob", "bOb")) {
      Answer api =
          door.call("POST", "/api/access-requests/" + id + "/approve")
              .as(spelling, "bob-demo")
              .json(Map.of())
              .send();
      assertThat(api.status()).as(spelling + " at /api").isEqualTo(403);
      Answer engine =
          door.call("POST", "/engine-rest/task/" + task + "/complete")
              .as(spelling, "bob-demo")
              .json(Map.of("variables", Map.of("decision", Map.of("value", "approve"))))
              .send();
      assertThat(engine.status()).as(spelling + " at /engine-rest").isEqualTo(403);
    }
    // other spellings the directory might match are no names at all, at every door
    for (String spelling :
        List.of(" bob", "bob ", "\uFF42\uFF4F\uFF42", "b\u200Bob", "bob\u0000", "*")) {
      assertThat(door.call("GET", "/api/catalog").as(spelling, "bob-demo").send().status())
          .as("[" + spelling + "]")
          .isEqualTo(401);
      assertThat(door.call("GET", "/engine-rest/task").as(spelling, "bob-demo").send().status())
          .as("[" + spelling + "]")
          .isEqualTo(401);
      assertThat(new Door(port).webappLogin("tasklist", spelling, "bob-demo").status())
          .as("[" + spelling + "]")
          .isEqualTo(401);
    }
    // Tasklist's login takes the directory's name for the person, whatever was typed
    Answer login = tasklistLogin("BOB");
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().get("userId").asText()).isEqualTo("bob");

    JsonNode refusals = auditOf(id, "action.refused");
    assertThat(refusals.findValuesAsText("actor"))
        .hasSizeGreaterThanOrEqualTo(6)
        .containsOnly("bob");
    assertUnchanged(id, "bob", "PENDING");
  }

  @Test
  void aRequesterCannotStartTheProcessAtAStep() {
    String erins = activeRequest("erin");
    String erinsInstance = instanceOf(erins);
    List<Map<String, Object>> attempts =
        List.of(
            start(
                Map.of("type", "startBeforeActivity", "activityId", AccessProcess.TASK_REVOKE),
                true),
            start(
                Map.of("type", "startBeforeActivity", "activityId", AccessProcess.TASK_GRANT),
                false),
            start(
                Map.of("type", "startBeforeActivity", "activityId", ApprovalProcess.TASK_APPROVE),
                false),
            start(Map.of("type", "startAfterActivity", "activityId", "gateway_approved"), false),
            start(Map.of("type", "startTransition", "transitionId", "flow_toGrant"), true));
    for (Map<String, Object> attempt : attempts) {
      Answer answer =
          door.call("POST", "/engine-rest/process-definition/key/jit-access/start")
              .as("alice")
              .json(attempt)
              .send();
      assertThat(answer.status()).as(attempt.toString()).isEqualTo(403);
      assertThat(answer.body()).doesNotContain(erinsInstance).doesNotContain("io.portcullis");
    }
    Answer modify =
        door.call("POST", "/engine-rest/process-instance/" + erinsInstance + "/modification")
            .as("alice")
            .json(
                Map.of(
                    "instructions",
                    List.of(
                        Map.of(
                            "type",
                            "startBeforeActivity",
                            "activityId",
                            AccessProcess.TASK_REVOKE)),
                    "skipCustomListeners",
                    true))
            .send();
    assertThat(modify.status()).isEqualTo(403);
    Answer moveTimer =
        door.call("PUT", "/engine-rest/job/" + jobOf(erinsInstance) + "/duedate")
            .as("bob")
            .json(Map.of("duedate", "2020-01-01T00:00:00.000+0000"))
            .send();
    assertThat(moveTimer.status()).as("an approver moves no expiry").isEqualTo(403);

    JsonNode refused =
        door.call("GET", "/api/audit?action=action.refused&actor=alice&size=50")
            .as("frank")
            .send()
            .json();
    assertThat(
            refused.get("items").findValues("details").stream()
                .filter(d -> "engine".equals(d.path("door").asText()))
                .count())
        .isGreaterThanOrEqualTo(attempts.size() + 1);
    assertThat(directory.holds(Username.of("erin"), Target.of(STAGING))).isTrue();
    JsonNode still = door.call("GET", "/api/access-requests/" + erins).as("erin").send().json();
    assertThat(still.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(still.get("endedBy").isNull()).isTrue();
  }

  @Test
  void anInstanceThatDidNotOpenThroughPortcullisIsRefusedAtItsFirstStep() {
    String erins = create("erin");
    // even an admin's instance started at the grant, for a made-up request, grants nothing (with
    // the date that the grant's expiry timer needs, so that the instance reaches the step)
    Map<String, Object> atTheGrant =
        new HashMap<>(
            start(
                Map.of("type", "startBeforeActivity", "activityId", AccessProcess.TASK_GRANT),
                true));
    atTheGrant.put(
        "variables",
        Map.of(
            "endedBy",
            v("carol"),
            "expiresAt",
            Map.of("value", "2099-01-01T00:00:00.000+0000", "type", "Date")));
    Answer started =
        door.call("POST", "/engine-rest/process-definition/key/jit-access/start")
            .as("dave")
            .json(atTheGrant)
            .send();
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    String instance = started.json().get("id").asText();
    awaitRefusedJob(instance);
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    JsonNode audit =
        door.call("GET", "/api/audit?action=action.refused&size=200").as("frank").send().json();
    assertThat(audit.get("items").findValuesAsText("processInstanceId")).contains(instance);
    assertThat(
            door.call("GET", "/api/audit?action=engine.steered&actor=dave")
                .as("frank")
                .send()
                .json()
                .get("totalItems")
                .asLong())
        .isPositive();
    door.call("DELETE", "/engine-rest/process-instance/" + instance).as("dave").send();

    // nor does one started at the approval task with someone else's request and no time to decide
    Answer lapse =
        door.call("POST", "/engine-rest/process-definition/key/jit-access/start")
            .as("dave")
            .json(
                Map.of(
                    "startInstructions",
                    List.of(
                        Map.of(
                            "type",
                            "startBeforeActivity",
                            "activityId",
                            ApprovalProcess.TASK_APPROVE)),
                    "skipCustomListeners",
                    true,
                    "variables",
                    Map.of(
                        "requestId",
                        v(erins),
                        "stageCount",
                        v(1),
                        "deadline",
                        v("PT0S"),
                        "remindAfter",
                        v("PT1H"),
                        "approverGroup",
                        v("team-leads"))))
            .send();
    assertThat(lapse.status()).as(lapse.body()).isEqualTo(200);
    awaitRefusedJob(lapse.json().get("id").asText());
    assertUnchanged(erins, "erin", "PENDING");
    door.call("DELETE", "/engine-rest/process-instance/" + lapse.json().get("id").asText())
        .as("dave")
        .send();
  }

  @Test
  void aPlainStartTakesOnlyTheRequestsFieldsAndApproversSeeTheStoredRequest() {
    Answer forged =
        door.call("POST", "/engine-rest/process-definition/key/jit-access/start")
            .as("alice")
            .json(
                Map.of(
                    "variables",
                    Map.of(
                        "resource",
                        v("staging-db-admin"),
                        "duration",
                        v("PT8H"),
                        "justification",
                        v("release"),
                        "requester",
                        v("erin"))))
            .send();
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.json().get("message").asText()).contains("requester");
    assertThat(forged.body()).doesNotContain("io.portcullis").doesNotContain("Exception:");

    Answer plain =
        door.call("POST", "/engine-rest/process-definition/key/jit-access/start")
            .as("alice")
            .json(
                Map.of(
                    "businessKey",
                    "plain-start-1",
                    "variables",
                    Map.of(
                        "resource",
                        v("staging-db-admin"),
                        "duration",
                        v("PT1H"),
                        "justification",
                        v("release 7"))))
            .send();
    assertThat(plain.status()).isEqualTo(200);
    JsonNode form =
        door.call("GET", "/engine-rest/task/" + taskOf("plain-start-1") + "/form-variables")
            .as("bob")
            .send()
            .json();
    assertThat(form.get("requester").get("value").asText()).isEqualTo("alice");
    assertThat(form.get("duration").get("value").asText()).isEqualTo("PT1H");
    assertThat(form.get("justification").get("value").asText()).isEqualTo("release 7");
  }

  @Test
  void aCompletionCarriesOnlyTheDecision() {
    String id = create("alice");
    String task = taskOf(id);
    Answer swapped =
        door.call("POST", "/engine-rest/task/" + task + "/complete")
            .as("bob")
            .json(
                Map.of(
                    "variables", Map.of("decision", v("approve"), "requestId", v("someone-elses"))))
            .send();
    assertThat(swapped.status()).isEqualTo(403);
    assertThat(swapped.json().get("message").asText()).contains("requestId");
    Answer setVariable =
        door.call("PUT", "/engine-rest/task/" + task + "/variables/approvalTimeout")
            .as("bob")
            .json(v("PT0S"))
            .send();
    assertThat(setVariable.status()).as("an approver changes no variable").isEqualTo(403);
    assertUnchanged(id, "alice", "PENDING");

    // Tasklist's own door: log in, take the XSRF token, submit the form with the decision
    assertThat(tasklistLogin("bob").status()).isEqualTo(200);
    door.call("GET", WebappPath.DEFAULT + "/api/engine/engine/default/task/" + task).send();
    Answer submitted =
        door.call(
                "POST",
                WebappPath.DEFAULT + "/api/engine/engine/default/task/" + task + "/submit-form")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(
                Map.of(
                    "variables",
                    Map.of("decision", v("approve"), "decisionComment", v("ok from Tasklist"))))
            .send();
    assertThat(submitted.status()).isEqualTo(204);
    await()
        .atMost(DEADLINE)
        .until(() -> "ACTIVE".equals(request(id, "alice").get("status").asText()));
  }

  @Test
  void refusalsAtTheEngineAndFailedLoginsAreAudited() {
    String erinsInstance = instanceOf(create("erin"));
    Answer snoop =
        door.call("GET", "/engine-rest/process-instance/" + erinsInstance + "/variables")
            .as("alice")
            .send();
    assertThat(snoop.status()).isEqualTo(403);
    assertThat(snoop.body()).doesNotContain(erinsInstance);
    assertThat(door.call("GET", "/api/catalog").as("alice", "wrong").send().status())
        .isEqualTo(401);
    assertThat(door.call("GET", "/engine-rest/task").as("alice", "wrong").send().status())
        .isEqualTo(401);

    JsonNode refused =
        door.call("GET", "/api/audit?action=action.refused&actor=alice&size=50")
            .as("frank")
            .send()
            .json();
    assertThat(refused.get("items").findValues("details").toString())
        .contains("engine authorization");
    JsonNode failed =
        door.call("GET", "/api/audit?action=login.failed&size=50").as("frank").send().json();
    assertThat(
            failed.get("items").findValues("details").stream()
                .filter(d -> "alice".equals(d.path("name").asText()))
                .map(d -> d.path("door").asText()))
        .contains("api", "engine-rest");
    assertThat(failed.toString()).doesNotContain("wrong");
  }

  @Test
  void headAndMethodOverridesAreNoWayIntoTheAuditTrail() {
    Integer checkpoints =
        jdbc.queryForObject("select count(*) from audit_checkpoint", Integer.class);
    assertThat(door.call("HEAD", "/api/audit/export").as("erin").send().status()).isEqualTo(403);
    assertThat(door.call("HEAD", "/api/audit").as("erin").send().status()).isEqualTo(403);
    assertThat(
            door.call("POST", "/api/audit/export")
                .as("erin")
                .header("X-HTTP-Method-Override", "GET")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(403);
    assertThat(
            door.call("POST", "/api/audit/export?_method=GET")
                .as("erin")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(403);
    assertThat(jdbc.queryForObject("select count(*) from audit_checkpoint", Integer.class))
        .isEqualTo(checkpoints);
  }

  @Test
  void anotherSiteCannotChangeAnything() {
    String id = create("alice");
    String path = "/api/access-requests/" + id + "/cancel";
    assertThat(door.call("POST", path).as("alice").form("x=1").send().status())
        .as("a plain form")
        .isEqualTo(415);
    assertThat(door.call("POST", path).as("alice").send().status()).as("no body").isEqualTo(415);
    assertThat(
            door.call("POST", path)
                .as("alice")
                .header("Origin", "https://evil.example")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(403);
    assertThat(
            door.call("POST", path)
                .as("alice")
                .header("Sec-Fetch-Site", "cross-site")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(403);
    assertThat(
            door.call("POST", "/engine-rest/task/" + taskOf(id) + "/claim")
                .as("bob")
                .header("Origin", "https://evil.example")
                .json(Map.of("userId", "bob"))
                .send()
                .status())
        .isEqualTo(403);
    // a host name rebound to Portcullis' address: the browser's Origin is the name it shows, and so
    // is Host
    assertThat(
            door.call("POST", path)
                .as("alice")
                .header("Origin", "http://localhost:" + port)
                .json(Map.of())
                .send()
                .status())
        .as("an origin that only matches the Host header")
        .isEqualTo(403);
    assertUnchanged(id, "alice", "PENDING");
    assertThat(
            door.call("POST", path)
                .as("alice")
                .header("Origin", "https://admin.portcullis.test")
                .json(Map.of())
                .send()
                .status())
        .as("an origin the configuration lists")
        .isEqualTo(200);
    String other = create("alice");
    assertThat(
            door.call("POST", "/api/access-requests/" + other + "/cancel")
                .as("alice")
                .header("Origin", "https://portcullis.test")
                .json(Map.of())
                .send()
                .status())
        .as("our own origin")
        .isEqualTo(200);
  }

  @Test
  void nothingLeaks() throws Exception {
    String erinsInstance = instanceOf(create("erin"));
    Answer invalid =
        door.call("POST", "/engine-rest/process-definition/key/jit-access/start")
            .as("alice")
            .json(
                Map.of(
                    "variables",
                    Map.of(
                        "resource",
                        v("staging-db-admin"),
                        "duration",
                        v("P1000D"),
                        "justification",
                        v("x"))))
            .send();
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body())
        .contains("duration")
        .doesNotContain("io.portcullis")
        .doesNotContain("at org.");

    // links are built from the public URL, whatever Host the caller sends
    String links =
        rawPost(
            "/engine-rest/process-definition/key/jit-access/start",
            "evil.example",
            "{\"variables\":{\"resource\":{\"value\":\"staging-db-admin\"},\"duration\":{\"value\":\"PT1H\"},\"justification\":{\"value\":\"x\"}}}");
    assertThat(links)
        .contains("https://portcullis.test/engine-rest/process-instance/")
        .doesNotContain("evil.example");

    assertThat(
            door.call("GET", "/engine-rest/user").as("alice").send().json().findValuesAsText("id"))
        .as("people are for admins")
        .containsExactly("alice");
    assertThat(door.call("GET", "/engine-rest/group").as("alice").send().json()).isEmpty();
    assertThat(
            door.call("GET", "/engine-rest/user").as("dave").send().json().findValuesAsText("id"))
        .contains("alice", "erin");

    Answer correlate =
        door.call("POST", "/engine-rest/message")
            .as("alice")
            .json(
                Map.of(
                    "messageName",
                    AccessProcess.MESSAGE_REVOKE,
                    "processInstanceId",
                    erinsInstance))
            .send();
    assertThat(correlate.status()).isBetween(400, 499);
    Answer correlateAny =
        door.call("POST", "/engine-rest/message")
            .as("alice")
            .json(Map.of("messageName", AccessProcess.MESSAGE_CANCEL))
            .send();
    assertThat(correlateAny.status()).isBetween(400, 499);
    assertThat(correlate.body() + correlateAny.body()).doesNotContain(erinsInstance);

    Answer bidi =
        door.call("POST", "/api/access-requests")
            .as("alice")
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT1H",
                    "justification",
                    "invoice \u202Egnp.exe"))
            .send();
    assertThat(bidi.status()).isEqualTo(400);
    assertThat(bidi.json().get("errors").findValuesAsText("field")).contains("justification");
    String id = create("alice");
    Answer comment =
        door.call("POST", "/api/access-requests/" + id + "/deny")
            .as("bob")
            .json(Map.of("comment", "no\u200B"))
            .send();
    assertThat(comment.status()).isEqualTo(400);
    assertThat(comment.json().get("errors").findValuesAsText("field")).contains("comment");
    assertUnchanged(id, "alice", "PENDING");
  }

  // --- helpers

  private static Map<String, Object> v(Object value) {
    return Map.of("value", value);
  }

  private static Map<String, Object> start(Map<String, Object> instruction, boolean skipListeners) {
    return Map.of(
        "startInstructions",
        List.of(instruction),
        "skipCustomListeners",
        skipListeners,
        "skipIoMappings",
        skipListeners,
        "variables",
        Map.of(
            "endedBy", v("carol"), "approvalTimeout", v("PT0S"), "approverGroup", v("team-leads")));
  }

  private void awaitRefusedJob(String instance) {
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                door
                    .call("GET", "/engine-rest/job?processInstanceId=" + instance)
                    .as("dave")
                    .send()
                    .json()
                    .findValuesAsText("exceptionMessage")
                    .stream()
                    .anyMatch(m -> m != null && m.contains("did not open through Portcullis")));
  }

  private Answer tasklistLogin(String bobAsTyped) {
    return door.webappLogin("tasklist", bobAsTyped, "bob-demo");
  }

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
                    "side doors " + requester))
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private String activeRequest(String requester) {
    String id = create(requester);
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/approve")
                .as("bob")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(200);
    await()
        .atMost(DEADLINE)
        .until(() -> "ACTIVE".equals(request(id, requester).get("status").asText()));
    return id;
  }

  private JsonNode request(String id, String user) {
    return door.call("GET", "/api/access-requests/" + id).as(user).send().json();
  }

  private String instanceOf(String businessKey) {
    return door.call("GET", "/engine-rest/process-instance?businessKey=" + businessKey)
        .as("dave")
        .send()
        .json()
        .get(0)
        .get("id")
        .asText();
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

  private String jobOf(String instance) {
    return door.call("GET", "/engine-rest/job?processInstanceId=" + instance)
        .as("dave")
        .send()
        .json()
        .get(0)
        .get("id")
        .asText();
  }

  private JsonNode auditOf(String requestId, String action) {
    return door.call("GET", "/api/audit?requestId=" + requestId + "&action=" + action)
        .as("frank")
        .send()
        .json()
        .get("items");
  }

  /**
   * The request as stored is as it was: status, no decision, no end, and no access in the
   * directory.
   */
  private void assertUnchanged(String id, String requester, String status) {
    JsonNode request = request(id, requester);
    assertThat(request.get("status").asText()).isEqualTo(status);
    assertThat(request.get("decisions")).isEmpty();
    assertThat(directory.holds(Username.of(requester), Target.of(STAGING))).isFalse();
  }

  /**
   * A request with a Host header of the caller's choosing, which java.net.http does not allow to
   * set.
   */
  private String rawPost(String path, String host, String json) throws Exception {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String auth =
        Base64.getEncoder().encodeToString("alice:alice-demo".getBytes(StandardCharsets.UTF_8));
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nAuthorization: Basic "
                  + auth
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      StringBuilder answer = new StringBuilder();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        answer.append(line).append('\n');
      }
      return answer.toString();
    }
  }
}
