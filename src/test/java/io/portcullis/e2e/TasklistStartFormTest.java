package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.WebappPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Asking from Tasklist: alice logs into Tasklist, gets the start form of "Just-in-time access" as
 * Tasklist does, and submits it through Tasklist's own engine API; the same start form through the
 * engine's REST API. A request the rules refuse is answered 400 with the rule in words, and leaves
 * no request behind.
 */
// An application context of its own, started when this class runs, not one cached from an earlier
// class: Tasklist and the engine's REST API find the engine by its name in Camunda's static
// registries, one per JVM, and a test that starts and stops an application of its own
// (JobExecutorDrainTest, ...) takes the name "default" out of them for every context cached before
// it.
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "portcullis.test.context=tasklist-start-form")
@ActiveProfiles({"demo", "test"})
class TasklistStartFormTest {

  static final String WEBAPP_ENGINE = WebappPath.DEFAULT + "/api/engine/engine/default";

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired ManagementService management;
  Door door;

  @BeforeEach
  void open() {
    door = new Door(port);
  }

  @Test
  void aliceAsksFromTasklistAndHerRequestWaitsForApproval() {
    String definition = loggedIntoTasklist("alice");
    JsonNode form =
        door.call(
                "GET", WEBAPP_ENGINE + "/process-definition/" + definition + "/deployed-start-form")
            .send()
            .json();
    List<String> offered = field(form, "resource").get("values").findValuesAsText("value");
    List<String> catalog =
        door.call("GET", "/api/catalog").as("alice").send().json().findValuesAsText("id");
    assertThat(offered).isNotEmpty().containsExactlyElementsOf(catalog);

    Answer submitted =
        submitInTasklist(
            definition, offered.get(0), "PT1H", "release 7, asked from Tasklist", "OPS-1234");
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(200);

    JsonNode request = onlyRequestOf("alice", "release 7, asked from Tasklist");
    assertThat(request.get("status").asText()).isEqualTo("PENDING");
    assertThat(request.get("requester").asText()).isEqualTo("alice");
    assertThat(request.get("resource").asText()).isEqualTo(offered.get(0));
    assertThat(request.get("duration").asText()).isEqualTo("PT1H");
    assertThat(request.get("ticket").asText()).isEqualTo("OPS-1234");
    assertThat(request.get("id").asText()).isEqualTo(submitted.json().get("businessKey").asText());
    // issue 28, item 4: Tasklist's door records the caller's address too, and her first ask is
    // flagged
    assertThat(request.get("flags").findValuesAsText("flag")).contains("FIRST_FOR_RESOURCE");
    assertThat(
            jdbc.queryForObject(
                "select client_address from access_request where id = ?",
                String.class,
                request.get("id").asText()))
        .isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
  }

  @Test
  void tasklistRefusesWhatTheRulesRefuseInWordsAndNoRequestIsLeft() {
    String definition = loggedIntoTasklist("alice");
    String why = "refused in Tasklist";

    assertRefused(
        submitInTasklist(definition, "staging-db-admin", "P100D", why, ""),
        "duration: must be at most PT8H for staging-db-admin");
    assertRefused(
        submitInTasklist(definition, "staging-db-admin", "one hour", why, ""),
        "duration: is not an ISO-8601 duration such as PT2H");
    assertRefused(
        submitInTasklist(definition, "root-on-everything", "PT1H", why, ""),
        "resource: no resource 'root-on-everything' in the catalog");
    assertRefused(
        submitInTasklist(definition, "staging-db-admin", "PT1H", "", ""), "justification");

    Map<String, Object> forged = new HashMap<>(startFormOf("staging-db-admin", "PT1H", why, ""));
    forged.put("requester", v("erin"));
    assertRefused(
        door.call("POST", WEBAPP_ENGINE + "/process-definition/" + definition + "/submit-form")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of("variables", forged))
            .send(),
        "requester: is not a field of an access request");

    assertThat(requestsOf("alice", why)).isEmpty();
    assertThat(requestsOf("erin", why)).isEmpty();
  }

  @Test
  void theSameStartFormThroughTheEngineRestApi() {
    Answer good =
        engineRestSubmit(
            startFormOf("staging-db-admin", "PT2H", "asked through engine REST", null));
    assertThat(good.status()).as(good.body()).isEqualTo(200);
    JsonNode request = onlyRequestOf("alice", "asked through engine REST");
    assertThat(request.get("status").asText()).isEqualTo("PENDING");
    assertThat(request.get("requester").asText()).isEqualTo("alice");
    assertThat(request.get("ticket").isNull()).isTrue();

    String why = "refused at engine REST";
    assertRefused(
        engineRestSubmit(startFormOf("prod-db-readonly", "PT5H", why, null)),
        "duration: must be at most PT4H for prod-db-readonly");
    assertRefused(
        engineRestSubmit(startFormOf("root-on-everything", "PT1H", why, null)),
        "resource: no resource 'root-on-everything' in the catalog");
    assertThat(requestsOf("alice", why)).isEmpty();
  }

  /**
   * Break-glass from Tasklist's start form (its Break glass box): olivia, on call, gets
   * prod-db-readonly with no approval stage; alice, not on call, is refused 403 naming the rule,
   * and no request is left (issue 29, item 3: the rule is the same at every door).
   */
  @Test
  void breakGlassFromTasklistMeetsThePolicysRule() {
    String definition = loggedIntoTasklist("alice");
    String why = "orders fail, from Tasklist";
    Map<String, Object> glass =
        new HashMap<>(startFormOf("prod-db-readonly", "PT1H", why, "INC-4711"));
    glass.put("breakGlass", Map.of("value", true, "type", "Boolean"));
    Answer refused =
        door.call("POST", WEBAPP_ENGINE + "/process-definition/" + definition + "/submit-form")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of("variables", glass))
            .send();
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.json().get("message").asText())
        .contains("no break-glass rule for alice on prod-db-readonly");
    assertThat(requestsOf("alice", why)).isEmpty();

    door = new Door(port);
    definition = loggedIntoTasklist("olivia");
    Answer taken =
        door.call("POST", WEBAPP_ENGINE + "/process-definition/" + definition + "/submit-form")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of("variables", glass))
            .send();
    assertThat(taken.status()).as(taken.body()).isEqualTo(200);
    JsonNode request = onlyRequestOf("olivia", why);
    assertThat(request.get("stages")).isEmpty();
    assertThat(
            jdbc.queryForObject(
                "select review_group from break_glass_review where request_id = ?",
                String.class,
                request.get("id").asText()))
        .isEqualTo("team-leads");
    door.call("POST", "/api/access-requests/" + request.get("id").asText() + "/cancel")
        .as("olivia")
        .json(Map.of())
        .send();
  }

  /**
   * Issue 29, item 1, from Tasklist: the start form's "Extends request" field asks for an extension
   * through the same check as POST /api/access-requests/{id}/extend ({@code GrantExtensions}): a
   * request that is not ACTIVE is refused in words; alice's ACTIVE grant is extended by a request
   * of its own that names it; an empty field is a new request.
   */
  @Test
  void anExtensionAskedFromTasklistsStartFormNamesTheGrantItExtends() {
    String original =
        door.call("POST", "/api/access-requests")
            .as("alice")
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT1H",
                    "justification",
                    "release 8, the first hour"))
            .send()
            .json()
            .get("id")
            .asText();
    String definition = loggedIntoTasklist("alice");
    JsonNode form =
        door.call(
                "GET", WEBAPP_ENGINE + "/process-definition/" + definition + "/deployed-start-form")
            .send()
            .json();
    assertThat(field(form, "extends").get("label").asText()).isEqualTo("Extends request");
    String why = "release 8 runs long";
    Map<String, Object> extension =
        new HashMap<>(startFormOf("staging-db-admin", "PT30M", why, ""));
    extension.put("extends", v(original));
    Answer early = submitVariables(definition, extension);
    assertThat(early.status()).as(early.body()).isEqualTo(409);
    assertThat(early.json().get("message").asText())
        .contains("is PENDING: only an ACTIVE grant is extended");
    assertThat(requestsOf("alice", why)).isEmpty();

    Answer approved =
        door.call("POST", "/api/access-requests/" + original + "/approve")
            .as("bob")
            .json(Map.of())
            .send();
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    runJobsOf(original);
    assertThat(statusOf(original)).isEqualTo("ACTIVE");

    Answer extended = submitVariables(definition, extension);
    assertThat(extended.status()).as(extended.body()).isEqualTo(200);
    JsonNode asked = onlyRequestOf("alice", why);
    assertThat(asked.get("extends").asText()).isEqualTo(original);
    assertThat(asked.get("status").asText()).isEqualTo("PENDING");

    String fresh = "release 8, a new request";
    Map<String, Object> plain = new HashMap<>(startFormOf("staging-db-admin", "PT1H", fresh, ""));
    plain.put("extends", v(""));
    assertThat(submitVariables(definition, plain).status()).isEqualTo(200);
    assertThat(onlyRequestOf("alice", fresh).has("extends")).as("a new request").isFalse();

    for (String id :
        List.of(asked.get("id").asText(), onlyRequestOf("alice", fresh).get("id").asText())) {
      door.call("POST", "/api/access-requests/" + id + "/cancel").as("alice").json(Map.of()).send();
    }
    door.call("POST", "/api/access-requests/" + original + "/revoke")
        .as("alice")
        .json(Map.of("reason", "test over"))
        .send();
    runJobsOf(original);
  }

  @Test
  void tasklistsEngineApiStillAnswersItsOwnErrorsAsCamundaDoes() {
    loggedIntoTasklist("alice");
    Answer missing =
        door.call("GET", WEBAPP_ENGINE + "/process-definition/no-such-definition").send();
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("type").asText()).isEqualTo("InvalidRequestException");
    assertThat(missing.json().get("message").asText())
        .isEqualTo("No matching definition with id no-such-definition");
  }

  // --- helpers

  /**
   * Logs into Tasklist as its page does; the latest jit-access, as Tasklist's "Start process" lists
   * it.
   */
  private String loggedIntoTasklist(String user) {
    assertThat(door.webappLogin("tasklist", user, Door.demo(user)).status()).isEqualTo(200);
    // Tasklist's first call after the login; it also hands out the new XSRF token
    JsonNode startable =
        door.call(
                "GET",
                WEBAPP_ENGINE
                    + "/process-definition?latestVersion=true&startableInTasklist=true&active=true")
            .send()
            .json();
    for (JsonNode definition : startable) {
      if ("jit-access".equals(definition.get("key").asText())) {
        assertThat(definition.get("name").asText()).isEqualTo("Just-in-time access");
        return definition.get("id").asText();
      }
    }
    throw new AssertionError("Tasklist does not offer jit-access to " + user + ": " + startable);
  }

  private Answer submitInTasklist(
      String definition, String resource, String duration, String justification, String ticket) {
    return door.call("POST", WEBAPP_ENGINE + "/process-definition/" + definition + "/submit-form")
        .header("X-XSRF-TOKEN", door.xsrfToken())
        .json(Map.of("variables", startFormOf(resource, duration, justification, ticket)))
        .send();
  }

  private Answer submitVariables(String definition, Map<String, Object> variables) {
    return door.call("POST", WEBAPP_ENGINE + "/process-definition/" + definition + "/submit-form")
        .header("X-XSRF-TOKEN", door.xsrfToken())
        .json(Map.of("variables", variables))
        .send();
  }

  /** Runs the request's due jobs, one by one (the job executor is off in tests). */
  private void runJobsOf(String requestId) {
    String instance =
        jdbc.queryForObject(
            "select process_instance_id from access_request where id = ?", String.class, requestId);
    for (int i = 0; i < 20; i++) {
      List<Job> due = management.createJobQuery().processInstanceId(instance).executable().list();
      if (due.isEmpty()) {
        return;
      }
      management.executeJob(due.get(0).getId());
    }
  }

  private String statusOf(String id) {
    return jdbc.queryForObject("select status from access_request where id = ?", String.class, id);
  }

  private Answer engineRestSubmit(Map<String, Object> variables) {
    return door.call("POST", "/engine-rest/process-definition/key/jit-access/submit-form")
        .as("alice")
        .json(Map.of("variables", variables))
        .send();
  }

  /**
   * The variables the form submits: every field, an empty one as an empty text, as form-js does.
   */
  private static Map<String, Object> startFormOf(
      String resource, String duration, String justification, String ticket) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("resource", v(resource));
    variables.put("duration", v(duration));
    variables.put("justification", v(justification));
    if (ticket != null) {
      variables.put("ticket", v(ticket));
    }
    return variables;
  }

  private static Map<String, Object> v(Object value) {
    return Map.of("value", value);
  }

  private static void assertRefused(Answer answer, String message) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/json");
    assertThat(answer.json().get("message").asText()).contains(message);
    assertThat(answer.body())
        .doesNotContain("io.portcullis")
        .doesNotContain("Exception:")
        .doesNotContain("at org.")
        .doesNotContain("Cannot instantiate");
  }

  private List<JsonNode> requestsOf(String requester, String justification) {
    JsonNode page =
        door.call("GET", "/api/access-requests?requester=" + requester + "&size=100")
            .as(requester)
            .send()
            .json();
    return StreamSupport.stream(page.get("items").spliterator(), false)
        .filter(r -> justification.equals(r.get("justification").asText()))
        .toList();
  }

  private JsonNode onlyRequestOf(String requester, String justification) {
    List<JsonNode> found = requestsOf(requester, justification);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static JsonNode field(JsonNode form, String key) {
    for (JsonNode component : form.get("components")) {
      if (key.equals(component.path("key").asText())) {
        return component;
      }
    }
    throw new AssertionError("no field " + key + " in " + form);
  }
}
