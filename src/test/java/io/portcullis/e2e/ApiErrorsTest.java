package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.RawRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Every way a call under {@code /api} can go wrong, made by a real HTTP client against the running
 * product: whoever answers (Tomcat, Spring Security's firewall and filters, Spring MVC, Portcullis'
 * controllers), the answer is RFC 9457 problem details with the right status, a field named where one is
 * at fault, and nothing of the implementation (no stack trace, no class or package name).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"portcullis.login.name-burst=2", "portcullis.login.name-refill=PT1H"})
@ActiveProfiles({"demo", "test"})
class ApiErrorsTest {

  static final String NO_SUCH_ID = "00000000-0000-0000-0000-000000000000";
  /** What a leak looks like: a stack frame, an exception's class name, a package of ours or of a framework. */
  static final Pattern LEAK = Pattern.compile(
      "\\tat |Exception|\\bio\\.portcullis|org\\.(springframework|apache|camunda)|com\\.fasterxml|java\\.(lang|util|io)|jakarta\\.");

  @LocalServerPort int port;

  /** One call of the matrix: how to make it, and what must come back. */
  record Case(String name, String method, String path, UnaryOperator<Door.Call> setUp, int status, String field) {}

  static Map<String, Object> request(Map<String, Object> changes) {
    Map<String, Object> body = new java.util.LinkedHashMap<>(
        Map.of("resource", "staging-db-admin", "duration", "PT1H", "justification", "rotate the staging keys"));
    body.putAll(changes);
    return body;
  }

  static List<Case> matrix() {
    List<Case> cases = new ArrayList<>();
    // Tomcat refuses an encoded slash before any filter; Spring Security's firewall refuses encoded dots,
    // semicolons and double slashes; with and without credentials
    for (String path : List.of("/api/access-requests/%2e%2e%2fsecret", "/api/access-requests/..%2Fsecret", "/api/access-requests/%2F",
        "/api/access-requests/%2e%2e/audit", "/api/access-requests/%2E%2E", "/api/catalog;jsessionid=x", "/api//catalog",
        "/api/access-requests/%00", "/api/access-requests/%5Csecret")) {
      cases.add(new Case("path " + path, "GET", path, c -> c.as("alice"), 400, null));
      cases.add(new Case("path " + path + " anonymously", "GET", path, c -> c, 400, null));
    }
    cases.add(new Case("unknown path", "GET", "/api/nothing-here", c -> c.as("alice"), 404, null));
    cases.add(new Case("unknown path below a known one", "GET", "/api/catalog/nothing/here", c -> c.as("alice"), 404, null));
    cases.add(new Case("unknown request", "GET", "/api/access-requests/" + NO_SUCH_ID, c -> c.as("alice"), 404, null));
    cases.add(new Case("unknown path, no credentials", "GET", "/api/nothing-here", c -> c, 401, null));
    cases.add(new Case("wrong method", "DELETE", "/api/catalog", c -> c.as("alice").json(Map.of()), 405, null));
    cases.add(new Case("wrong method, no body", "PUT", "/api/access-requests/" + NO_SUCH_ID, c -> c.as("alice").json(Map.of()), 405, null));
    cases.add(new Case("not acceptable", "GET", "/api/catalog", c -> c.as("alice").header("Accept", "application/xml"), 406, null));
    cases.add(new Case("not acceptable, with an error to tell", "GET", "/api/access-requests/" + NO_SUCH_ID,
        c -> c.as("alice").header("Accept", "text/html"), 404, null));
    cases.add(new Case("unknown path, a browser asking", "GET", "/api/nothing-here",
        c -> c.as("alice").header("Accept", "text/html,application/xhtml+xml"), 404, null));
    cases.add(new Case("not JSON", "POST", "/api/access-requests",
        c -> c.as("alice").raw("{}", "text/plain"), 415, null));
    cases.add(new Case("not JSON, with credentials wrong too", "POST", "/api/access-requests",
        c -> c.as("alice", "wrong").raw("resource=x", "application/x-www-form-urlencoded"), 415, null));
    cases.add(new Case("malformed JSON", "POST", "/api/access-requests", c -> c.as("alice").raw("{\"resource\": ", "application/json"), 400,
        null));
    cases.add(new Case("empty body", "POST", "/api/access-requests", c -> c.as("alice").raw("", "application/json"), 400, null));
    cases.add(new Case("duration as a number", "POST", "/api/access-requests", c -> c.as("alice").json(request(Map.of("duration", 3600))),
        400, "duration"));
    cases.add(new Case("duration as a fraction", "POST", "/api/access-requests",
        c -> c.as("alice").json(request(Map.of("duration", 3600.5))), 400, "duration"));
    cases.add(new Case("duration as an object", "POST", "/api/access-requests",
        c -> c.as("alice").json(request(Map.of("duration", Map.of("seconds", 3600)))), 400, "duration"));
    cases.add(new Case("duration not ISO-8601", "POST", "/api/access-requests",
        c -> c.as("alice").json(request(Map.of("duration", "an hour"))), 400, "duration"));
    cases.add(new Case("unknown field", "POST", "/api/access-requests", c -> c.as("alice").json(request(Map.of("requester", "bob"))), 400,
        "requester"));
    cases.add(new Case("unknown field in a decision", "POST", "/api/access-requests/" + NO_SUCH_ID + "/approve",
        c -> c.as("bob").json(Map.of("comment", "ok", "stage", 2)), 400, "stage"));
    cases.add(new Case("missing field", "POST", "/api/access-requests",
        c -> c.as("alice").json(Map.of("resource", "staging-db-admin", "duration", "PT1H")), 400, "justification"));
    cases.add(new Case("instant not ISO-8601", "POST", "/api/access-requests",
        c -> c.as("alice").json(request(Map.of("startAt", "tomorrow"))), 400, "startAt"));
    // strict JSON (issue 24, finding 12): one meaning per body, at every /api body
    cases.add(new Case("a key given twice", "POST", "/api/access-requests", c -> c.as("alice").raw(
        "{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\",\"justification\":\"x\",\"resource\":\"prod-db-readonly\"}",
        "application/json"), 400, "resource"));
    cases.add(new Case("a key given twice in a decision", "POST", "/api/access-requests/" + NO_SUCH_ID + "/approve",
        c -> c.as("bob").raw("{\"comment\":\"ok\",\"comment\":\"fine\"}", "application/json"), 400, "comment"));
    cases.add(new Case("a number for text", "POST", "/api/access-requests",
        c -> c.as("alice").json(request(Map.of("justification", 42))), 400, "justification"));
    cases.add(new Case("a boolean for text", "POST", "/api/access-requests",
        c -> c.as("alice").json(request(Map.of("ticket", true))), 400, "ticket"));
    cases.add(new Case("a number for a resource", "POST", "/api/access-requests",
        c -> c.as("alice").json(request(Map.of("resource", 7))), 400, "resource"));
    cases.add(new Case("an object for text", "POST", "/api/access-requests/" + NO_SUCH_ID + "/revoke",
        c -> c.as("alice").json(Map.of("reason", Map.of("text", "x"))), 400, "reason"));
    cases.add(new Case("a JSON null body", "POST", "/api/access-requests", c -> c.as("alice").raw("null", "application/json"), 400,
        "body"));
    cases.add(new Case("a JSON null body where a body may be left out", "POST", "/api/access-requests/" + NO_SUCH_ID + "/approve",
        c -> c.as("bob").raw("null", "application/json"), 400, "body"));
    cases.add(new Case("a second body after the first", "POST", "/api/access-requests",
        c -> c.as("alice").raw("{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\",\"justification\":\"x\"} {}",
            "application/json"), 400, null));
    cases.add(new Case("unknown field in a cancel", "POST", "/api/access-requests/" + NO_SUCH_ID + "/cancel",
        c -> c.as("alice").json(Map.of("reason", "x")), 400, "reason"));
    cases.add(new Case("unknown field in an offboarding's cancel", "POST", "/api/offboardings/" + NO_SUCH_ID + "/cancel",
        c -> c.as("hr-system").json(Map.of("force", true)), 400, "force"));
    cases.add(new Case("an instant as digits", "POST", "/api/offboardings",
        c -> c.as("hr-system").json(Map.of("username", "lena", "reason", "x", "hrReference", "HR-1", "effectiveAt", "1700000000")), 400,
        "effectiveAt"));
    cases.add(new Case("an instant as a number", "POST", "/api/offboardings",
        c -> c.as("hr-system").json(Map.of("username", "lena", "reason", "x", "hrReference", "HR-1", "effectiveAt", 1700000000)), 400,
        "effectiveAt"));
    cases.add(new Case("an instant without its offset", "POST", "/api/offboardings",
        c -> c.as("hr-system").json(Map.of("username", "lena", "reason", "x", "hrReference", "HR-1", "effectiveAt", "2030-01-01T09:00:00")),
        400, "effectiveAt"));
    cases.add(new Case("bad path parameter", "GET", "/api/access-requests/not!an-id", c -> c.as("alice"), 400, "id"));
    cases.add(new Case("bad query parameter", "GET", "/api/access-requests?size=100000", c -> c.as("alice"), 400, "size"));
    cases.add(new Case("bad enum parameter", "GET", "/api/access-requests?status=MAYBE", c -> c.as("alice"), 400, "status"));
    cases.add(new Case("no credentials", "GET", "/api/catalog", c -> c, 401, null));
    cases.add(new Case("wrong password", "GET", "/api/catalog", c -> c.as("alice", "not-her-password"), 401, null));
    cases.add(new Case("malformed credentials", "GET", "/api/catalog", c -> c.header("Authorization", "Basic !!!"), 401, null));
    cases.add(new Case("outside one's role", "GET", "/api/audit", c -> c.as("alice"), 403, null));
    cases.add(new Case("another site", "POST", "/api/access-requests",
        c -> c.as("alice").json(request(Map.of())).header("Origin", "https://evil.example"), 403, null));
    return cases;
  }

  @Test
  void everyErrorUnderApiIsProblemDetails() {
    Door door = new Door(port);
    List<String> wrong = new ArrayList<>();
    for (Case c : matrix()) {
      Answer answer = c.setUp().apply(door.call(c.method(), c.path())).send();
      wrong.addAll(check(c.name(), answer, c.status(), c.field()));
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void tooManyFailedLoginsIsProblemDetailsToo() {
    Door door = new Door(port);
    Answer last = null;
    for (int i = 0; i < 4; i++) {
      last = door.call("GET", "/api/catalog").as("guessed-name", "guess-" + i).send();
    }
    assertThat(check("throttled", last, 429, null)).isEmpty();
    assertThat(last.retryAfter()).isNotNull();
  }

  /**
   * Issue 24, finding 13: a raw {@code {}, {@code }}, {@code |} or {@code \} in the request line, which Tomcat
   * refuses while still reading it, before the request has an address. Refused as before (400), and
   * under /api in problem details, not Tomcat's HTML page; elsewhere Tomcat's page as before.
   */
  @Test
  void aRawBraceOrBackslashInTheRequestLineIsRefusedInProblemDetails() {
    List<String> wrong = new ArrayList<>();
    Map<String, String> alice = Map.of("Authorization", "Basic " + java.util.Base64.getEncoder()
        .encodeToString("alice:alice-demo".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    for (String target : List.of("/api/catalog?x={", "/api/catalog?x=\\", "/api/access-requests?status={PENDING}", "/api/catalog?q=a|b",
        "/api?x={", "/api/cat{alog", "/api/access-requests/\\..\\audit", "/api/catalog?x=}")) {
      wrong.addAll(check(target, RawRequest.send(port, "GET", target, alice), 400, null));
      wrong.addAll(check(target + " anonymously", RawRequest.send(port, "GET", target, Map.of()), 400, null));
      wrong.addAll(check(target + " as a POST", RawRequest.send(port, "POST", target, alice), 400, null));
    }
    assertThat(wrong).isEmpty();
    assertThat(RawRequest.send(port, "GET", "/api/catalog?x=%7B%5C", alice).status()).as("the same, encoded, is taken").isEqualTo(200);
    Answer webapp = RawRequest.send(port, "GET", "/camunda/app/tasklist/?x={", Map.of());
    assertThat(webapp.status()).isEqualTo(400);
    assertThat(webapp.contentType()).as("not /api: Tomcat's page, as before").startsWith("text/html");
  }

  /** The finding's body: the production request hidden behind a staging one is refused whole, and nothing is asked. */
  @Test
  void aBodyThatNamesAFieldTwiceAsksForNothing() {
    Door door = new Door(port);
    long before = door.call("GET", "/api/access-requests?requester=erin").as("erin").send().json().get("totalItems").asLong();
    Answer answer = door.call("POST", "/api/access-requests").as("erin").raw("{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\","
        + "\"justification\":\"staging only\",\"resource\":\"prod-db-readonly\"}", "application/json").send();
    assertThat(check("a key given twice", answer, 400, "resource")).isEmpty();
    assertThat(answer.json().get("detail").asText()).isEqualTo("resource: is given twice; a body names each field once");
    assertThat(door.call("GET", "/api/access-requests?requester=erin").as("erin").send().json().get("totalItems").asLong())
        .isEqualTo(before);
  }

  @Test
  void aDurationAsAStringIsStillAccepted() {
    Answer answer = new Door(port).call("POST", "/api/access-requests").as("alice").json(request(Map.of("duration", "PT30M"))).send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    assertThat(answer.json().path("duration").asText()).isEqualTo("PT30M");
  }

  static List<String> check(String name, Answer answer, int status, String field) {
    List<String> wrong = new ArrayList<>();
    String seen = name + ": " + answer.status() + " " + answer.contentType() + " " + answer.body();
    if (answer.status() != status) {
      wrong.add(seen + " (expected " + status + ")");
    }
    if (!answer.contentType().startsWith("application/problem+json")) {
      wrong.add(seen + " (not problem+json)");
      return wrong;
    }
    JsonNode problem = answer.json();
    if (problem.path("status").asInt() != answer.status() || problem.path("title").asText().isBlank()
        || problem.path("detail").asText().isBlank()) {
      wrong.add(seen + " (status, title or detail missing)");
    }
    if (LEAK.matcher(answer.body()).find()) {
      wrong.add(seen + " (leaks the implementation)");
    }
    if (field != null && (!problem.path("detail").asText().startsWith(field + ":")
        || !field.equals(problem.path("errors").path(0).path("field").asText()))) {
      wrong.add(seen + " (does not name " + field + ")");
    }
    return wrong;
  }
}
