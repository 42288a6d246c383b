package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The product as its users meet it: started whole on a random port with its job executor running,
 * driven only through its REST API as the demo users, and checked in the directory.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "camunda.bpm.job-execution.enabled=true",
      "portcullis.requests.min-duration=PT1S"
    })
@ActiveProfiles({"demo", "test"})
class AccessRequestApiTest {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @Autowired TestRestTemplate http;
  @Autowired LdapGroupConnector directory;
  @Autowired ObjectMapper json;
  @Autowired JdbcTemplate jdbc;

  @AfterEach
  void cleanUp() {
    directory.revoke(Username.of("alice"), Target.of(STAGING));
    directory.revoke(Username.of("erin"), Target.of(STAGING));
    directory.revoke(Username.of("olivia"), Target.of(PROD_DB));
    directory.revoke(Username.of("alice"), Target.of(PROD_DB));
    directory.revoke(Username.of("alice"), Target.of(PROD_LOGS));
  }

  static final String PROD_LOGS = "cn=prod-logs-readonly,ou=groups,dc=portcullis,dc=demo";

  /**
   * Alice asks for the demo's incident-responder bundle (issue 29, item 4): one chain decides both
   * resources (bob for team-leads, carol for security, each group once), both are granted together
   * and expire together; the request shows its resources and its bundle.
   */
  @Test
  void aliceAsksForABundleAndBothResourcesComeAndGoTogether() {
    JsonNode bundles = get("alice", "/api/catalog/bundles").getBody();
    assertThat(bundles.findValuesAsText("id")).contains("incident-responder");
    assertThat(texts(bundles.get(0).get("resources")))
        .containsExactly("prod-db-readonly", "prod-logs-readonly");
    assertThat(bundles.get(0).get("maxDuration").asText()).isEqualTo("PT4H");
    ResponseEntity<JsonNode> created =
        post(
            "alice",
            "/api/access-requests",
            Map.of(
                "bundle",
                "incident-responder",
                "duration",
                "PT3S",
                "justification",
                "incident INC-12"));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    JsonNode body = created.getBody();
    String id = body.get("id").asText();
    assertThat(body.get("bundle").asText()).isEqualTo("incident-responder");
    assertThat(texts(body.get("resources")))
        .containsExactly("prod-db-readonly", "prod-logs-readonly");
    assertThat(body.get("stages").findValuesAsText("group"))
        .containsExactly("team-leads", "security");
    // what bob approves, as he reads it: every resource and the bundle, at /api and in the task
    // that Tasklist and the engine's API show him
    String taskName =
        "Approve prod-db-readonly, prod-logs-readonly (bundle incident-responder) for alice (PT3S),"
            + " stage 1 of 2";
    JsonNode tasks =
        engineGet("bob", "/engine-rest/task?processInstanceBusinessKey=" + id).getBody();
    assertThat(tasks.findValuesAsText("name")).containsExactly(taskName);
    JsonNode waiting = null;
    for (JsonNode item : get("bob", "/api/approvals").getBody().get("items")) {
      if (id.equals(item.get("requestId").asText())) {
        waiting = item;
      }
    }
    assertThat(waiting).as("bob finds the bundle among his approvals").isNotNull();
    assertThat(waiting.get("resource").asText()).isEqualTo("prod-db-readonly");
    assertThat(texts(waiting.get("resources")))
        .containsExactly("prod-db-readonly", "prod-logs-readonly");
    assertThat(waiting.get("bundle").asText()).isEqualTo("incident-responder");
    assertThat(waiting.get("taskName").asText()).isEqualTo(taskName);

    post("bob", "/api/access-requests/" + id + "/approve", Map.of());
    post("carol", "/api/access-requests/" + id + "/approve", Map.of());
    JsonNode active = awaitStatus("alice", id, "ACTIVE");
    assertThat(directory.holds(Username.of("alice"), Target.of(PROD_DB))).isTrue();
    assertThat(directory.holds(Username.of("alice"), Target.of(PROD_LOGS))).isTrue();
    assertThat(texts(active.get("resources")))
        .containsExactly("prod-db-readonly", "prod-logs-readonly");

    awaitStatus("alice", id, "EXPIRED");
    assertThat(directory.holds(Username.of("alice"), Target.of(PROD_DB))).isFalse();
    assertThat(directory.holds(Username.of("alice"), Target.of(PROD_LOGS))).isFalse();
  }

  /**
   * Alice names two resources: both ask team-leads, so one stage decides; she revokes early and
   * both go. A list the rules refuse is a 400 naming resources, at /api and at /engine-rest alike.
   */
  @Test
  void aliceAsksForTwoResourcesAndRevokesThemTogether_theEngineRestApiMeetsTheSameRules() {
    ResponseEntity<JsonNode> created =
        post(
            "alice",
            "/api/access-requests",
            Map.of(
                "resources",
                List.of("staging-db-admin", "prod-logs-readonly"),
                "duration",
                "PT1H",
                "justification",
                "incident INC-13"));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = created.getBody().get("id").asText();
    assertThat(created.getBody().get("stages").findValuesAsText("group"))
        .containsExactly("team-leads");
    post("bob", "/api/access-requests/" + id + "/approve", Map.of());
    awaitStatus("alice", id, "ACTIVE");
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    assertThat(directory.holds(Username.of("alice"), Target.of(PROD_LOGS))).isTrue();
    assertThat(
            post("alice", "/api/access-requests/" + id + "/revoke", Map.of("reason", "fixed"))
                .getStatusCode())
        .isEqualTo(HttpStatus.ACCEPTED);
    awaitStatus("alice", id, "REVOKED");
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    assertThat(directory.holds(Username.of("alice"), Target.of(PROD_LOGS))).isFalse();

    assertInvalid(
        Map.of(
            "resources",
            List.of("staging-db-admin", "wiki"),
            "duration",
            "PT1H",
            "justification",
            "x"),
        "resources",
        "no resource 'wiki' in the catalog");
    assertInvalid(
        Map.of(
            "resources",
            List.of("staging-db-admin", "deploy-api"),
            "duration",
            "PT1H",
            "justification",
            "x"),
        "duration",
        "deploy-api");
    Map<String, Map<String, Object>> refusedAtTheEngine =
        Map.of(
            "resources: names 'staging-db-admin' twice",
            Map.of("resources", Map.of("value", "staging-db-admin,staging-db-admin")),
            "bundle: no bundle 'on-call' in the catalog",
            Map.of("bundle", Map.of("value", "on-call")),
            "resource: give exactly one of resource, resources and bundle",
            Map.of(
                "resource",
                Map.of("value", "staging-db-admin"),
                "bundle",
                Map.of("value", "incident-responder")));
    refusedAtTheEngine.forEach(
        (message, naming) -> {
          Map<String, Object> variables = new HashMap<>(naming);
          variables.put("duration", Map.of("value", "PT1H"));
          variables.put("justification", Map.of("value", "x"));
          ResponseEntity<JsonNode> started =
              enginePost(
                  "alice",
                  "/engine-rest/process-definition/key/jit-access/start",
                  Map.of("variables", variables));
          assertThat(started.getStatusCode()).as(message).isEqualTo(HttpStatus.BAD_REQUEST);
          assertThat(started.getBody().get("message").asText()).contains(message);
        });
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  @Test
  void aliceAsksBobApprovesAndTheAccessComesAndGoes() {
    ResponseEntity<JsonNode> created =
        post(
            "alice",
            "/api/access-requests",
            Map.of(
                "resource",
                "staging-db-admin",
                "duration",
                "PT3S",
                "justification",
                "hotfix for OPS-7",
                "ticket",
                "OPS-7"));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = created.getBody().get("id").asText();
    assertThat(created.getHeaders().getLocation()).hasToString("/api/access-requests/" + id);
    assertThat(created.getBody().get("status").asText()).isEqualTo("PENDING");
    assertThat(created.getBody().get("requester").asText()).isEqualTo("alice");
    assertThat(created.getBody().get("duration").asText()).isEqualTo("PT3S");

    assertThat(get("bob", "/api/access-requests/" + id).getStatusCode()).isEqualTo(HttpStatus.OK);
    ResponseEntity<JsonNode> approved =
        post("bob", "/api/access-requests/" + id + "/approve", Map.of("comment", "go ahead"));
    assertThat(approved.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(approved.getBody().get("decisions").get(0).get("approver").asText())
        .isEqualTo("bob");

    awaitStatus("alice", id, "ACTIVE");
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    JsonNode active = get("alice", "/api/access-requests/" + id).getBody();
    assertThat(active.get("grantedAt").asText()).endsWith("Z");
    // the approved time runs from the first grant attempt, a moment before the directory confirmed
    Instant attempted = Instant.parse(active.get("grantAttemptedAt").asText());
    assertThat(Duration.between(attempted, Instant.parse(active.get("expiresAt").asText())))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(Instant.parse(active.get("grantedAt").asText())).isAfterOrEqualTo(attempted);

    awaitStatus("alice", id, "EXPIRED");
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isFalse();

    // the request's story, from the audit trail: who asked, who approved, when access began and
    // ended
    JsonNode story = get("alice", "/api/access-requests/" + id).getBody();
    assertThat(story.get("history").findValuesAsText("action"))
        .containsExactly("access.requested", "access.decided", "access.granted", "access.expired");
    assertThat(story.get("history").findValuesAsText("actor"))
        .containsExactly("alice", "bob", "system", "system");
    assertThat(story.get("history").get(0).get("details").get("justification").asText())
        .isEqualTo("hotfix for OPS-7");
    assertThat(story.get("auditTrail").asText()).isEqualTo("/api/audit?requestId=" + id);
    assertThat(
            get("frank", story.get("auditTrail").asText())
                .getBody()
                .get("items")
                .findValuesAsText("action"))
        .contains("access.requested", "access.decided", "access.granted", "access.expired");
  }

  /**
   * Alice extends her live grant (issue 29, item 1): the extension is a request of its own that bob
   * approves, and the grant's end moves with the access never taken away; a second waits its turn
   * (409), bob may not extend alice's grant (403), someone who cannot see it gets 404, a total
   * beyond twice max-duration is 400 naming duration, and an ended grant is not extended (409).
   */
  @Test
  void aliceExtendsHerGrantAndBobApprovesIt() {
    String id =
        post(
                "alice",
                "/api/access-requests",
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT8H",
                    "justification",
                    "migration OPS-9"))
            .getBody()
            .get("id")
            .asText();
    post("bob", "/api/access-requests/" + id + "/approve", Map.of());
    awaitStatus("alice", id, "ACTIVE");
    Instant end =
        Instant.parse(
            get("alice", "/api/access-requests/" + id).getBody().get("expiresAt").asText());
    Map<String, String> asked =
        Map.of("duration", "PT8H", "justification", "the migration runs long");

    ResponseEntity<JsonNode> extension =
        post("alice", "/api/access-requests/" + id + "/extend", asked);
    assertThat(extension.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String extensionId = extension.getBody().get("id").asText();
    assertThat(extensionId).isNotEqualTo(id);
    assertThat(extension.getBody().get("extends").asText()).isEqualTo(id);
    assertThat(extension.getBody().get("status").asText()).isEqualTo("PENDING");
    assertThat(extension.getHeaders().getLocation())
        .hasToString("/api/access-requests/" + extensionId);
    assertThat(post("alice", "/api/access-requests/" + id + "/extend", asked).getStatusCode())
        .isEqualTo(HttpStatus.CONFLICT);
    assertThat(post("bob", "/api/access-requests/" + id + "/extend", asked).getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(post("erin", "/api/access-requests/" + id + "/extend", asked).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);

    post("bob", "/api/access-requests/" + extensionId + "/approve", Map.of());
    awaitStatus("alice", extensionId, "EXTENDED");
    JsonNode extended = get("alice", "/api/access-requests/" + id).getBody();
    assertThat(extended.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(Instant.parse(extended.get("expiresAt").asText()))
        .isEqualTo(end.plus(Duration.ofHours(8)));
    // erin's attempt at a request she may not see is in its trail as a refusal
    assertThat(extended.get("history").findValuesAsText("action"))
        .containsExactly(
            "access.requested",
            "access.decided",
            "access.granted",
            "action.refused",
            "access.extended");
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isTrue();

    ResponseEntity<JsonNode> tooLong =
        post(
            "alice",
            "/api/access-requests/" + id + "/extend",
            Map.of("duration", "PT1M", "justification", "a minute more"));
    assertThat(tooLong.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(tooLong.getBody().toString()).contains("duration");

    post("alice", "/api/access-requests/" + id + "/revoke", Map.of("reason", "done"));
    awaitStatus("alice", id, "REVOKED");
    assertThat(post("alice", "/api/access-requests/" + id + "/extend", asked).getStatusCode())
        .isEqualTo(HttpStatus.CONFLICT);
  }

  /**
   * A window a few seconds ahead (issue 29, item 2): approved before it, the request is SCHEDULED
   * with its start in the JSON, granted at the start by the process's timer for the approved time
   * counted from it, and ends on time. Another, cancelled while SCHEDULED, and a third, revoked
   * while SCHEDULED by its approver, end CANCELLED with nothing granted.
   */
  @Test
  void aWindowLaterIsGrantedAtItsStartAndAScheduledRequestCanBeCancelledOrRevoked() {
    Instant start = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    ResponseEntity<JsonNode> created =
        post(
            "alice",
            "/api/access-requests",
            Map.of(
                "resource",
                "staging-db-admin",
                "duration",
                "PT3S",
                "justification",
                "the maintenance window",
                "startAt",
                start.toString()));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = created.getBody().get("id").asText();
    assertThat(Instant.parse(created.getBody().get("startAt").asText())).isEqualTo(start);
    ResponseEntity<JsonNode> approved =
        post("bob", "/api/access-requests/" + id + "/approve", Map.of());
    assertThat(approved.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(approved.getBody().get("status").asText()).isEqualTo("SCHEDULED");
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isFalse();

    JsonNode active = awaitStatus("alice", id, "ACTIVE");
    assertThat(Instant.parse(active.get("grantAttemptedAt").asText())).isAfterOrEqualTo(start);
    assertThat(Instant.parse(active.get("expiresAt").asText()))
        .as("the approved time counts from the start")
        .isEqualTo(start.plusSeconds(3));
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    awaitStatus("alice", id, "EXPIRED");
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isFalse();

    String later = Instant.now().plus(Duration.ofHours(20)).toString();
    String cancelled = scheduled("erin", later);
    ResponseEntity<JsonNode> cancel =
        post("erin", "/api/access-requests/" + cancelled + "/cancel", Map.of());
    assertThat(cancel.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(cancel.getBody().get("status").asText()).isEqualTo("CANCELLED");

    String revoked = scheduled("erin", later);
    ResponseEntity<JsonNode> revoke =
        post(
            "bob",
            "/api/access-requests/" + revoked + "/revoke",
            Map.of("reason", "the window moved"));
    assertThat(revoke.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(revoke.getBody().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(revoke.getBody().get("endedBy").asText()).isEqualTo("bob");
    assertThat(revoke.getBody().get("endReason").asText()).isEqualTo("the window moved");
    assertThat(directory.holds(Username.of("erin"), Target.of(STAGING))).isFalse();
  }

  @Test
  void theRequesterRevokesEarly() {
    String id = approvedAndActive("erin", "PT1H");
    assertThat(directory.holds(Username.of("erin"), Target.of(STAGING))).isTrue();

    assertThat(post("erin", "/api/access-requests/" + id + "/revoke", Map.of()).getStatusCode())
        .isEqualTo(HttpStatus.BAD_REQUEST);
    ResponseEntity<JsonNode> twoLines =
        post(
            "erin",
            "/api/access-requests/" + id + "/revoke",
            Map.of("reason", "done\nrevoked by bob"));
    assertThat(twoLines.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(twoLines.getBody().get("detail").asText())
        .isEqualTo("reason: must be one line (no line break)");
    ResponseEntity<JsonNode> revoked =
        post("erin", "/api/access-requests/" + id + "/revoke", Map.of("reason", "done early"));
    assertThat(revoked.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

    JsonNode ended = awaitStatus("erin", id, "REVOKED");
    assertThat(ended.get("endedBy").asText()).isEqualTo("erin");
    assertThat(ended.get("endReason").asText()).isEqualTo("done early");
    assertThat(directory.holds(Username.of("erin"), Target.of(STAGING))).isFalse();
    assertThat(
            post("erin", "/api/access-requests/" + id + "/revoke", Map.of("reason", "again"))
                .getStatusCode())
        .isEqualTo(HttpStatus.CONFLICT);
  }

  @Test
  void decisionsFollowTheRules() {
    String id = create("alice", "PT1H");
    assertProblem(
        post("alice", "/api/access-requests/" + id + "/approve", Map.of()),
        HttpStatus.FORBIDDEN,
        "own request");
    // a request the caller may not see answers as a missing one
    assertProblem(
        post("erin", "/api/access-requests/" + id + "/approve", Map.of()),
        HttpStatus.NOT_FOUND,
        "No access request");
    assertProblem(
        post("carol", "/api/access-requests/" + id + "/deny", Map.of()),
        HttpStatus.NOT_FOUND,
        "No access request");
    assertProblem(
        post("erin", "/api/access-requests/" + id + "/cancel", Map.of()),
        HttpStatus.NOT_FOUND,
        "No access request");
    // one they may see but not decide is a 403
    assertProblem(
        post("frank", "/api/access-requests/" + id + "/approve", Map.of()),
        HttpStatus.FORBIDDEN,
        "team-leads");
    assertProblem(
        post("bob", "/api/access-requests/" + id + "/cancel", Map.of()),
        HttpStatus.FORBIDDEN,
        "requester");
    assertProblem(
        post("alice", "/api/access-requests/" + id + "/revoke", Map.of("reason", "x")),
        HttpStatus.CONFLICT,
        "PENDING");

    assertThat(
            post("bob", "/api/access-requests/" + id + "/deny", Map.of("comment", "not today"))
                .getStatusCode())
        .isEqualTo(HttpStatus.OK);
    JsonNode denied = get("alice", "/api/access-requests/" + id).getBody();
    assertThat(denied.get("status").asText()).isEqualTo("DENIED");
    assertThat(denied.get("decisions").get(0).get("decision").asText()).isEqualTo("DENY");
    assertProblem(
        post("bob", "/api/access-requests/" + id + "/approve", Map.of()),
        HttpStatus.CONFLICT,
        "DENIED");
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void theRequesterCancelsAPendingRequest() {
    String id = create("alice", "PT1H");
    ResponseEntity<JsonNode> cancelled =
        post("alice", "/api/access-requests/" + id + "/cancel", Map.of());
    assertThat(cancelled.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(cancelled.getBody().get("status").asText()).isEqualTo("CANCELLED");
    assertProblem(
        post("bob", "/api/access-requests/" + id + "/approve", Map.of()),
        HttpStatus.CONFLICT,
        "CANCELLED");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    assertInvalid(
        Map.of("resource", "staging-db-admin", "duration", "PT9H", "justification", "x"),
        "duration",
        "at most PT8H");
    assertInvalid(
        Map.of("resource", "staging-db-admin", "duration", "two hours", "justification", "x"),
        "duration",
        "ISO-8601");
    assertInvalid(
        Map.of("resource", "staging-db-admin", "duration", "PT0.5S", "justification", "x"),
        "duration",
        "at least");
    assertInvalid(
        Map.of("resource", "no-such-db", "duration", "PT1H", "justification", "x"),
        "resource",
        "no resource");
    assertInvalid(
        Map.of("resource", "*)(cn=*", "duration", "PT1H", "justification", "x"),
        "resource",
        "not a resource id");
    assertInvalid(
        Map.of("resource", "staging-db-admin", "duration", "PT1H"),
        "justification",
        "must not be blank");
    assertInvalid(
        Map.of(
            "resource", "staging-db-admin", "duration", "PT1H", "justification", "y".repeat(1001)),
        "justification",
        "size");
    assertInvalid(
        Map.of(
            "resource",
            "staging-db-admin",
            "duration",
            "PT1H",
            "justification",
            "x",
            "ticket",
            "OPS 1; drop"),
        "ticket",
        "ticket reference");
    assertInvalid(
        Map.of(
            "resource",
            "staging-db-admin",
            "duration",
            "PT1H",
            "justification",
            "x",
            "startAt",
            "2030-01-01T00:00:00Z"),
        "startAt",
        "is more than P30D ahead");
    assertThat(
            get("alice", "/api/access-requests?status=PENDING&requester=alice")
                .getBody()
                .get("totalItems")
                .asLong())
        .isZero();
  }

  @Test
  void everyEndpointNeedsCredentialsAndEachCallerSeesOnlyTheirs() {
    ResponseEntity<JsonNode> anonymous =
        http.exchange("/api/catalog", HttpMethod.GET, null, JsonNode.class);
    assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(anonymous.getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(anonymous.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Basic");
    assertThat(
            http.withBasicAuth("alice", "wrong")
                .getForEntity("/api/catalog", String.class)
                .getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(
            http.withBasicAuth("*", "x").getForEntity("/api/catalog", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(http.getForEntity("/v3/api-docs", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);
    assertThat(http.getForEntity("/engine-rest/task", String.class).getStatusCode())
        .isEqualTo(HttpStatus.UNAUTHORIZED);

    JsonNode catalog = get("alice", "/api/catalog").getBody();
    assertThat(catalog.findValuesAsText("id")).contains("staging-db-admin", "prod-db-readonly");
    assertThat(catalog.get(0).has("target")).as("the connector's target stays inside").isFalse();
    JsonNode prodDb =
        catalog.findParents("id").stream()
            .filter(r -> r.get("id").asText().equals("prod-db-readonly"))
            .findFirst()
            .orElseThrow();
    assertThat(prodDb.get("maxTotalDuration").asText())
        .as("twice max-duration unless the entry says")
        .isEqualTo(Duration.parse(prodDb.get("maxDuration").asText()).multipliedBy(2).toString());
    assertThat(
            get("alice", "/v3/api-docs")
                .getBody()
                .get("paths")
                .has("/api/access-requests/{id}/approve"))
        .isTrue();

    String alices = create("alice", "PT1H");
    String erins = create("erin", "PT1H");
    assertProblem(
        get("erin", "/api/access-requests/" + alices), HttpStatus.NOT_FOUND, "No access request");
    assertProblem(
        get("carol", "/api/access-requests/" + alices), HttpStatus.NOT_FOUND, "No access request");
    assertThat(get("frank", "/api/access-requests/" + alices).getStatusCode())
        .as("auditor")
        .isEqualTo(HttpStatus.OK);
    assertThat(get("dave", "/api/access-requests/" + alices).getStatusCode())
        .as("admin")
        .isEqualTo(HttpStatus.OK);
    assertThat(ids(get("erin", "/api/access-requests?status=PENDING")))
        .contains(erins)
        .doesNotContain(alices);
    assertThat(ids(get("bob", "/api/access-requests?status=PENDING")))
        .as("approver")
        .contains(erins, alices);
    assertThat(ids(get("frank", "/api/access-requests?status=PENDING&requester=erin")))
        .contains(erins)
        .doesNotContain(alices);
    assertProblem(get("alice", "/api/access-requests/nope!"), HttpStatus.BAD_REQUEST, "id");
    assertProblem(
        get("alice", "/api/access-requests?status=WHATEVER"), HttpStatus.BAD_REQUEST, "status");
    assertProblem(
        get("alice", "/api/access-requests/" + UUID.randomUUID()),
        HttpStatus.NOT_FOUND,
        "No access request");

    // refusals are kept in the audit trail: a role's (the security filter) and a rule's (the
    // service)
    assertProblem(get("alice", "/api/audit"), HttpStatus.FORBIDDEN, "role");
    JsonNode refusals = get("frank", "/api/audit?action=action.refused&actor=alice").getBody();
    assertThat(refusals.get("items").findValues("details"))
        .anySatisfy(d -> assertThat(d.toString()).contains("GET /api/audit"));
    assertThat(
            get("frank", "/api/audit?action=action.refused&actor=erin&requestId=" + alices)
                .getBody()
                .get("totalItems")
                .asLong())
        .isEqualTo(1);
  }

  @Test
  void theEngineRestApiObeysTheSameRules() {
    String id = create("bob", "PT1H");
    String processInstanceId =
        engineGet("dave", "/engine-rest/process-instance?businessKey=" + id)
            .getBody()
            .get(0)
            .get("id")
            .asText();
    String taskId =
        engineGet("dave", "/engine-rest/task?processInstanceId=" + processInstanceId)
            .getBody()
            .get(0)
            .get("id")
            .asText();

    Map<String, Object> approve =
        Map.of("variables", Map.of("decision", Map.of("value", "approve")));
    // bob is in team-leads, so the engine lets him at the task; the process's guard refuses him
    ResponseEntity<JsonNode> own =
        enginePost("bob", "/engine-rest/task/" + taskId + "/complete", approve);
    assertThat(own.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(own.getBody().get("message").asText())
        .contains("cannot decide on their own request");
    // other engine errors keep Camunda's own answers
    assertThat(engineGet("dave", "/engine-rest/task/no-such-task").getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(
            enginePost("dave", "/engine-rest/message", Map.of("messageName", "NoSuchMessage"))
                .getStatusCode())
        .isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(
            enginePost("alice", "/engine-rest/task/" + taskId + "/complete", approve)
                .getStatusCode())
        .as("not an approver")
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(
            enginePost(
                    "alice",
                    "/engine-rest/process-instance/" + processInstanceId + "/variables",
                    Map.of("modifications", Map.of("duration", Map.of("value", "P30D"))))
                .getStatusCode())
        .as("nobody but admins changes a running request")
        .isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(engineGet("alice", "/engine-rest/task").getBody())
        .as("alice sees no approval task")
        .isEmpty();
    assertThat(get("bob", "/api/access-requests/" + id).getBody().get("status").asText())
        .isEqualTo("PENDING");
  }

  /**
   * Issue 28, item 4, through real HTTP at two doors: each records the address the call came from
   * (the loopback here), so a second request from it is no new address; the first request for a
   * resource is flagged and the flags are in the request's JSON.
   */
  @Test
  void everyDoorRecordsTheCallersAddressAndTheJsonShowsTheFlags() {
    ResponseEntity<JsonNode> first =
        post(
            "carol",
            "/api/access-requests",
            Map.of(
                "resource",
                "prod-db-readonly",
                "duration",
                "PT1H",
                "justification",
                "audit the read replica"));
    assertThat(first.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(first.getBody().get("flags").findValuesAsText("flag"))
        .containsExactly("FIRST_FOR_RESOURCE");
    assertThat(first.getBody().get("flags").get(0).get("reason").asText())
        .isEqualTo("the requester has never asked for this resource before");

    String second = UUID.randomUUID().toString();
    ResponseEntity<JsonNode> started =
        post(
            "carol",
            "/engine-rest/process-definition/key/jit-access/start",
            Map.of(
                "businessKey",
                second,
                "variables",
                Map.of(
                    "resource",
                    Map.of("value", "prod-db-readonly"),
                    "duration",
                    Map.of("value", "PT1H"),
                    "justification",
                    Map.of("value", "audit the read replica again"))));
    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(
            get("carol", "/api/access-requests/" + second)
                .getBody()
                .get("flags")
                .findValuesAsText("flag"))
        .as("asked before, from an address seen before")
        .isEmpty();

    String firstId = first.getBody().get("id").asText();
    assertThat(
            jdbc.queryForList(
                "select client_address from access_request where id in (?, ?)",
                String.class,
                firstId,
                second))
        .hasSize(2)
        .allSatisfy(address -> assertThat(address).isIn("127.0.0.1", "0:0:0:0:0:0:0:1"));
    for (String id : List.of(firstId, second)) {
      assertThat(post("carol", "/api/access-requests/" + id + "/cancel", Map.of()).getStatusCode())
          .isEqualTo(HttpStatus.OK);
    }
  }

  /**
   * Olivia, on call, breaks glass on prod-db-readonly (issue 29, item 3): ACTIVE at once with no
   * approval, in the trail with her ticket; bob (team-leads, the first group of the chain she
   * skipped) finds the review in GET /api/approvals and revokes it: the access ends, and her next
   * request is flagged. Bob, not on call, is refused 403 naming the rule and nothing is stored, at
   * /api and at /engine-rest; olivia cannot review her own; a ticket is required; PT2H is beyond
   * the rule's PT1H.
   */
  @Test
  void oliviaBreaksGlassAndBobReviews() {
    Map<String, Object> glass =
        new HashMap<>(
            Map.of(
                "resource",
                "prod-db-readonly",
                "duration",
                "PT1H",
                "justification",
                "orders fail, reading the orders table",
                "ticket",
                "INC-4711",
                "breakGlass",
                true));
    ResponseEntity<JsonNode> bobs = post("bob", "/api/access-requests", glass);
    assertProblem(bobs, HttpStatus.FORBIDDEN, "no break-glass rule for bob on prod-db-readonly");
    ResponseEntity<JsonNode> bobsEngine =
        post(
            "bob",
            "/engine-rest/process-definition/key/jit-access/start",
            Map.of(
                "businessKey",
                UUID.randomUUID().toString(),
                "variables",
                Map.of(
                    "resource", Map.of("value", "prod-db-readonly"),
                    "duration", Map.of("value", "PT1H"),
                    "justification", Map.of("value", "orders fail"),
                    "ticket", Map.of("value", "INC-4711"),
                    "breakGlass", Map.of("value", true, "type", "Boolean"))));
    assertThat(bobsEngine.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(bobsEngine.getBody().toString()).contains("no break-glass rule for bob");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from access_request where requester = 'bob' and resource_id = 'prod-db-readonly'",
                Integer.class))
        .as("nothing is stored for a refused break-glass")
        .isZero();
    // each refusal is audited on its own, past the request's rollback: the rule, who, on what,
    // never the ticket
    JsonNode refusals =
        get("frank", "/api/audit?action=action.refused&actor=bob&size=200").getBody().get("items");
    List<JsonNode> brokeGlass = new ArrayList<>();
    refusals.forEach(
        e -> {
          if ("break-glass".equals(e.get("details").path("attempted").asText())) {
            brokeGlass.add(e);
          }
        });
    assertThat(brokeGlass).as("at /api and at /engine-rest").hasSize(2);
    assertThat(brokeGlass)
        .allSatisfy(
            e -> {
              assertThat(e.get("resource").asText()).isEqualTo("prod-db-readonly");
              assertThat(e.get("subject").asText()).isEqualTo("bob");
              assertThat(e.get("details").get("why").asText())
                  .contains("no break-glass rule for bob on prod-db-readonly");
              assertThat(e.toString()).doesNotContain("INC-4711", "orders fail");
            });
    Map<String, Object> noTicket = new HashMap<>(glass);
    noTicket.remove("ticket");
    ResponseEntity<JsonNode> ticketless = post("olivia", "/api/access-requests", noTicket);
    assertProblem(ticketless, HttpStatus.BAD_REQUEST, "required for break-glass");
    assertThat(ticketless.getBody().get("errors").findValuesAsText("field")).contains("ticket");
    Map<String, Object> tooLong = new HashMap<>(glass);
    tooLong.put("duration", "PT2H");
    ResponseEntity<JsonNode> longer = post("olivia", "/api/access-requests", tooLong);
    assertProblem(longer, HttpStatus.BAD_REQUEST, "at most PT1H");
    assertThat(longer.getBody().get("errors").findValuesAsText("field")).contains("duration");

    Instant asked = Instant.now();
    ResponseEntity<JsonNode> created = post("olivia", "/api/access-requests", glass);
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = created.getBody().get("id").asText();
    assertThat(created.getBody().get("stages")).isEmpty();
    assertThat(created.getBody().get("breakGlass").asBoolean()).isTrue();
    JsonNode listed = null;
    for (JsonNode item :
        get("olivia", "/api/access-requests?resource=prod-db-readonly&size=200")
            .getBody()
            .get("items")) {
      if (id.equals(item.get("id").asText())) {
        listed = item;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("breakGlass").asBoolean()).as("in the list too").isTrue();
    JsonNode active = awaitStatus("olivia", id, "ACTIVE");
    assertThat(Duration.between(asked, Instant.parse(active.get("grantedAt").asText())))
        .as("granted at once, with no approval")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(directory.holds(Username.of("olivia"), Target.of(PROD_DB))).isTrue();

    JsonNode waiting = get("bob", "/api/approvals").getBody().get("items");
    JsonNode review = null;
    for (JsonNode item : waiting) {
      if (id.equals(item.get("requestId").asText())) {
        review = item;
      }
    }
    assertThat(review).as("bob finds the review among his approvals").isNotNull();
    assertThat(review.get("kind").asText()).isEqualTo("break-glass-review");
    assertThat(review.get("approverGroup").asText()).isEqualTo("team-leads");
    assertThat(review.get("taskName").asText())
        .isEqualTo("Review break-glass: olivia took prod-db-readonly (PT1H), ticket INC-4711");
    assertThat(
            post("olivia", "/api/access-requests/" + id + "/review", Map.of("review", "keep"))
                .getStatusCode())
        .isEqualTo(HttpStatus.FORBIDDEN);

    ResponseEntity<JsonNode> revoked =
        post(
            "bob",
            "/api/access-requests/" + id + "/review",
            Map.of("review", "revoke", "comment", "no such incident"));
    assertThat(revoked.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode ended = awaitStatus("olivia", id, "REVOKED");
    assertThat(ended.get("endedBy").asText()).isEqualTo("bob");
    assertThat(directory.holds(Username.of("olivia"), Target.of(PROD_DB))).isFalse();
    assertThat(ended.get("history").findValuesAsText("action"))
        .containsSubsequence(
            "access.requested",
            "access.break-glass",
            "access.granted",
            "break-glass.reviewed",
            "access.revoked");
    assertThat(
            post("bob", "/api/access-requests/" + id + "/review", Map.of("review", "keep"))
                .getStatusCode())
        .as("reviewed once")
        .isEqualTo(HttpStatus.CONFLICT);

    ResponseEntity<JsonNode> next =
        post(
            "olivia",
            "/api/access-requests",
            Map.of(
                "resource", "staging-db-admin", "duration", "PT1H", "justification", "next day"));
    assertThat(next.getBody().get("flags").findValuesAsText("flag"))
        .contains("BREAK_GLASS_REVOKED");
    assertThat(next.getBody().get("breakGlass").asBoolean()).as("asked for approval").isFalse();
    post(
        "olivia",
        "/api/access-requests/" + next.getBody().get("id").asText() + "/cancel",
        Map.of());
  }

  // --- helpers

  private String create(String requester, String duration) {
    ResponseEntity<JsonNode> created =
        post(
            requester,
            "/api/access-requests",
            Map.of(
                "resource",
                "staging-db-admin",
                "duration",
                duration,
                "justification",
                "testing " + requester));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    return created.getBody().get("id").asText();
  }

  /** A request of this developer starting at {@code startAt}, approved by bob: SCHEDULED. */
  private String scheduled(String requester, String startAt) {
    ResponseEntity<JsonNode> created =
        post(
            requester,
            "/api/access-requests",
            Map.of(
                "resource",
                "staging-db-admin",
                "duration",
                "PT1H",
                "justification",
                "tonight's window",
                "startAt",
                startAt));
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = created.getBody().get("id").asText();
    ResponseEntity<JsonNode> approved =
        post("bob", "/api/access-requests/" + id + "/approve", Map.of());
    assertThat(approved.getBody().get("status").asText()).isEqualTo("SCHEDULED");
    return id;
  }

  private String approvedAndActive(String requester, String duration) {
    String id = create(requester, duration);
    assertThat(post("bob", "/api/access-requests/" + id + "/approve", Map.of()).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    awaitStatus(requester, id, "ACTIVE");
    return id;
  }

  private JsonNode awaitStatus(String user, String id, String status) {
    return await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> get(user, "/api/access-requests/" + id).getBody(),
            body -> status.equals(body.get("status").asText()));
  }

  private ResponseEntity<JsonNode> get(String user, String path) {
    return http.withBasicAuth(user, user + "-demo").getForEntity(path, JsonNode.class);
  }

  private ResponseEntity<JsonNode> post(String user, String path, Map<String, ?> body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.withBasicAuth(user, user + "-demo")
        .exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), JsonNode.class);
  }

  private ResponseEntity<JsonNode> engineGet(String user, String path) {
    return get(user, path);
  }

  private ResponseEntity<JsonNode> enginePost(String user, String path, Map<String, ?> body) {
    return post(user, path, body);
  }

  private static List<String> ids(ResponseEntity<JsonNode> page) {
    return page.getBody().get("items").findValuesAsText("id");
  }

  private void assertInvalid(Map<String, ?> body, String field, String message) {
    ResponseEntity<JsonNode> response = post("alice", "/api/access-requests", body);
    assertProblem(response, HttpStatus.BAD_REQUEST, message);
    assertThat(response.getBody().get("errors").findValuesAsText("field")).contains(field);
  }

  private static void assertProblem(
      ResponseEntity<JsonNode> response, HttpStatus status, String detail) {
    assertThat(response.getStatusCode()).isEqualTo(status);
    assertThat(response.getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(response.getBody().get("detail").asText()).contains(detail);
  }
}
