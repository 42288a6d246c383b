package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.Problems;
import io.portcullis.support.RawRequest;
import io.portcullis.support.WebappPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every way a call under {@code /api} can go wrong, made by a real HTTP client against the running
 * product: whoever answers (Tomcat, Spring Security's firewall and filters, Spring MVC, Portcullis'
 * controllers), the answer is RFC 9457 problem details with the right status, a field named where
 * one is at fault, and nothing of the implementation (no stack trace, no class or package name).
 * Each field a controller refuses, and why, is its slice's test ({@code
 * request/AccessRequestControllerTests}, {@code offboarding/OffboardingControllerTests}, {@code
 * audit/AuditControllerTests}); here a few of them show that the door answers them in the same
 * words. The test logs in as people that {@link UntrustedForwardedForTest}, which shares its
 * context, never guesses for.
 */
@NamesThrottledTest
class ApiErrorsTest {

  static final String NO_SUCH_ID = "00000000-0000-0000-0000-000000000000";

  @LocalServerPort int port;

  /** One call of the matrix: how to make it, and what must come back. */
  record Case(
      String name,
      String method,
      String path,
      UnaryOperator<Door.Call> setUp,
      int status,
      String field) {}

  static Map<String, Object> request(Map<String, Object> changes) {
    Map<String, Object> body =
        new LinkedHashMap<>(
            Map.of(
                "resource",
                "staging-db-admin",
                "duration",
                "PT1H",
                "justification",
                "rotate the staging keys"));
    body.putAll(changes);
    return body;
  }

  static List<Case> matrix() {
    List<Case> cases = new ArrayList<>();
    // Tomcat refuses an encoded slash before any filter; Spring Security's firewall refuses encoded
    // dots, semicolons and double slashes; with and without credentials
    for (String path :
        List.of(
            "/api/access-requests/%2e%2e%2fsecret",
            "/api/access-requests/..%2Fsecret",
            "/api/access-requests/%2F",
            "/api/access-requests/%2e%2e/audit",
            "/api/access-requests/%2E%2E",
            "/api/catalog;jsessionid=x",
            "/api//catalog",
            "/api/access-requests/%00",
            "/api/access-requests/%5Csecret")) {
      cases.add(new Case("path " + path, "GET", path, c -> c.as("alice"), 400, null));
      cases.add(new Case("path " + path + " anonymously", "GET", path, c -> c, 400, null));
    }
    cases.add(new Case("unknown path", "GET", "/api/nothing-here", c -> c.as("alice"), 404, null));
    cases.add(
        new Case(
            "unknown path below a known one",
            "GET",
            "/api/catalog/nothing/here",
            c -> c.as("alice"),
            404,
            null));
    cases.add(
        new Case(
            "unknown request",
            "GET",
            "/api/access-requests/" + NO_SUCH_ID,
            c -> c.as("alice"),
            404,
            null));
    cases.add(
        new Case("unknown path, no credentials", "GET", "/api/nothing-here", c -> c, 401, null));
    cases.add(
        new Case(
            "wrong method",
            "DELETE",
            "/api/catalog",
            c -> c.as("alice").json(Map.of()),
            405,
            null));
    cases.add(
        new Case(
            "wrong method, no body",
            "PUT",
            "/api/access-requests/" + NO_SUCH_ID,
            c -> c.as("alice").json(Map.of()),
            405,
            null));
    cases.add(
        new Case(
            "not acceptable",
            "GET",
            "/api/catalog",
            c -> c.as("alice").header("Accept", "application/xml"),
            406,
            null));
    cases.add(
        new Case(
            "not acceptable, with an error to tell",
            "GET",
            "/api/access-requests/" + NO_SUCH_ID,
            c -> c.as("alice").header("Accept", "text/html"),
            404,
            null));
    cases.add(
        new Case(
            "unknown path, a browser asking",
            "GET",
            "/api/nothing-here",
            c -> c.as("alice").header("Accept", "text/html,application/xhtml+xml"),
            404,
            null));
    cases.add(
        new Case(
            "not JSON, with credentials wrong too",
            "POST",
            "/api/access-requests",
            c -> c.as("alice", "wrong").raw("resource=x", "application/x-www-form-urlencoded"),
            415,
            null));
    cases.add(
        new Case(
            "unknown field",
            "POST",
            "/api/access-requests",
            c -> c.as("alice").json(request(Map.of("requester", "bob"))),
            400,
            "requester"));
    cases.add(
        new Case(
            "a JSON null body",
            "POST",
            "/api/access-requests",
            c -> c.as("alice").raw("null", "application/json"),
            400,
            "body"));
    cases.add(
        new Case(
            "an instant as digits",
            "POST",
            "/api/offboardings",
            c ->
                c.as("hr-system")
                    .json(
                        Map.of(
                            "username",
                            "lena",
                            "reason",
                            "x",
                            "hrReference",
                            "HR-1",
                            "effectiveAt",
                            "1700000000")),
            400,
            "effectiveAt"));
    cases.add(new Case("no credentials", "GET", "/api/catalog", c -> c, 401, null));
    cases.add(
        new Case(
            "wrong password",
            "GET",
            "/api/catalog",
            c -> c.as("alice", "not-her-password"),
            401,
            null));
    cases.add(
        new Case(
            "malformed credentials",
            "GET",
            "/api/catalog",
            c -> c.header("Authorization", "Basic !!!"),
            401,
            null));
    cases.add(new Case("outside one's role", "GET", "/api/audit", c -> c.as("alice"), 403, null));
    cases.add(
        new Case(
            "another site",
            "POST",
            "/api/access-requests",
            c -> c.as("alice").json(request(Map.of())).header("Origin", "https://evil.example"),
            403,
            null));
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
    for (int i = 0; i <= NamesThrottledTest.NAME_BURST; i++) {
      last = door.call("GET", "/api/catalog").as("guessed-name", "guess-" + i).send();
    }
    assertThat(check("throttled", last, 429, null)).isEmpty();
    assertThat(last.retryAfter()).isNotNull();
  }

  /**
   * Issue 24, finding 13: a raw {@code {}, {@code }}, {@code |} or {@code \} in the request line,
   * which Tomcat refuses while still reading it, before the request has an address. Refused as
   * before (400), and under /api in problem details, not Tomcat's HTML page; elsewhere Tomcat's
   * page as before.
   */
  @Test
  void aRawBraceOrBackslashInTheRequestLineIsRefusedInProblemDetails() {
    List<String> wrong = new ArrayList<>();
    Map<String, String> alice =
        Map.of(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("alice:alice-demo".getBytes(StandardCharsets.UTF_8)));
    for (String target :
        List.of(
            "/api/catalog?x={",
            "/api/catalog?x=\\",
            "/api/access-requests?status={PENDING}",
            "/api/catalog?q=a|b",
            "/api?x={",
            "/api/cat{alog",
            "/api/access-requests/\\..\\audit",
            "/api/catalog?x=}")) {
      wrong.addAll(check(target, RawRequest.send(port, "GET", target, alice), 400, null));
      wrong.addAll(
          check(
              target + " anonymously", RawRequest.send(port, "GET", target, Map.of()), 400, null));
      wrong.addAll(
          check(target + " as a POST", RawRequest.send(port, "POST", target, alice), 400, null));
    }
    assertThat(wrong).isEmpty();
    assertThat(RawRequest.send(port, "GET", "/api/catalog?x=%7B%5C", alice).status())
        .as("the same, encoded, is taken")
        .isEqualTo(200);
    Answer webapp =
        RawRequest.send(port, "GET", WebappPath.DEFAULT + "/app/tasklist/?x={", Map.of());
    assertThat(webapp.status()).isEqualTo(400);
    assertThat(webapp.contentType())
        .as("not /api: Tomcat's page, as before")
        .startsWith("text/html");
  }

  /**
   * The finding's body: the production request hidden behind a staging one is refused whole, and
   * nothing is asked.
   */
  @Test
  void aBodyThatNamesAFieldTwiceAsksForNothing() {
    Door door = new Door(port);
    long before =
        door.call("GET", "/api/access-requests?requester=carol")
            .as("carol")
            .send()
            .json()
            .get("totalItems")
            .asLong();
    Answer answer =
        door.call("POST", "/api/access-requests")
            .as("carol")
            .raw(
                "{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\","
                    + "\"justification\":\"staging only\",\"resource\":\"prod-db-readonly\"}",
                "application/json")
            .send();
    assertThat(check("a key given twice", answer, 400, "resource")).isEmpty();
    assertThat(answer.json().get("detail").asText())
        .isEqualTo("resource: is given twice; a body names each field once");
    assertThat(
            door.call("GET", "/api/access-requests?requester=carol")
                .as("carol")
                .send()
                .json()
                .get("totalItems")
                .asLong())
        .isEqualTo(before);
  }

  @Test
  void aDurationAsAStringIsStillAccepted() {
    Answer answer =
        new Door(port)
            .call("POST", "/api/access-requests")
            .as("alice")
            .json(request(Map.of("duration", "PT30M")))
            .send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    assertThat(answer.json().path("duration").asText()).isEqualTo("PT30M");
  }

  static List<String> check(String name, Answer answer, int status, String field) {
    return Problems.check(name, answer, status, field);
  }
}
