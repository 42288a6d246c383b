package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.WebappPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Bounded queues (issue 24, finding 7): one person may have at most {@code max-pending} requests
 * waiting, and {@code max-pending-per-resource} for one resource, at every door that starts a
 * request (Portcullis' API, Tasklist's start form, the engine's REST API), counted exactly when
 * many ask at once; and the approvals an approver may decide come a page at a time, with their
 * total.
 */
// a context of its own: the engine REST API serves the engine started last in this JVM (see
// TasklistStartFormTest)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "portcullis.test.context=request-queues",
      "portcullis.requests.max-pending=5",
      "portcullis.requests.max-pending-per-resource=3"
    })
@ActiveProfiles({"demo", "test"})
class RequestQueuesTest {

  static final String WEBAPP_ENGINE = WebappPath.DEFAULT + "/api/engine/engine/default";

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  Door door;

  @BeforeEach
  void open() {
    door = new Door(port);
  }

  @AfterEach
  void cancelWhatIsLeft() {
    for (String person : List.of("alice", "erin")) {
      for (JsonNode request :
          door.call("GET", "/api/access-requests?status=PENDING&size=200&requester=" + person)
              .as(person)
              .send()
              .json()
              .get("items")) {
        door.call("POST", "/api/access-requests/" + request.get("id").asText() + "/cancel")
            .as(person)
            .json(Map.of())
            .send();
      }
    }
  }

  @Test
  void aPersonsQueueIsBoundedAtEveryDoor() {
    String tasklist = loggedIntoTasklist("alice");
    for (int i = 0; i < 3; i++) {
      assertThat(ask("alice", "staging-db-admin").status()).isEqualTo(201);
    }
    // a fourth for the same resource: 409, with the rule in words, through each door
    String perResource =
        "alice has 3 requests for staging-db-admin waiting already, the most one person may have for one resource "
            + "(portcullis.requests.max-pending-per-resource = 3)";
    Answer api = ask("alice", "staging-db-admin");
    assertThat(api.status()).as(api.body()).isEqualTo(409);
    assertThat(api.contentType()).startsWith("application/problem+json");
    assertThat(api.json().get("detail").asText()).startsWith(perResource);
    assertEngineRefused(submitInTasklist(tasklist, "staging-db-admin"), 409, perResource);
    assertEngineRefused(engineRest("alice", "staging-db-admin"), 409, perResource);

    // other resources, up to five in all; a sixth: 429, through each door
    assertThat(ask("alice", "prod-db-readonly").status()).isEqualTo(201);
    assertThat(submitInTasklist(tasklist, "prod-logs-readonly").status()).isEqualTo(200);
    String inAll =
        "alice has 5 requests waiting already, the most one person may have (portcullis.requests.max-pending = 5)";
    Answer sixth = ask("alice", "unreliable-group");
    assertThat(sixth.status()).as(sixth.body()).isEqualTo(429);
    assertThat(sixth.json().get("detail").asText()).startsWith(inAll);
    assertThat(sixth.retryAfter()).as("not a question of time").isNull();
    assertEngineRefused(submitInTasklist(tasklist, "unreliable-group"), 429, inAll);
    assertEngineRefused(engineRest("alice", "unreliable-group"), 429, inAll);
    assertThat(pending("alice")).isEqualTo(5);
    assertThat(pending("erin")).as("someone else's queue is their own").isZero();
    assertThat(ask("erin", "staging-db-admin").status()).isEqualTo(201);

    // a request decided or cancelled leaves the queue
    String first =
        door.call(
                "GET",
                "/api/access-requests?status=PENDING&requester=alice&resource=staging-db-admin")
            .as("alice")
            .send()
            .json()
            .get("items")
            .get(0)
            .get("id")
            .asText();
    assertThat(
            door.call("POST", "/api/access-requests/" + first + "/cancel")
                .as("alice")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(200);
    assertThat(ask("alice", "staging-db-admin").status()).isEqualTo(201);
  }

  /**
   * Many at once, as a script would send them: the bound holds exactly, each refusal is 409, no
   * error.
   */
  @Test
  void manyAskingAtOnceGetExactlyTheBound() throws Exception {
    int threads = 12;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        answers.add(
            CompletableFuture.supplyAsync(
                () -> {
                  await(go);
                  return ask("erin", "staging-db-admin").status();
                },
                pool));
      }
      go.countDown();
      List<Integer> statuses = answers.stream().map(CompletableFuture::join).toList();
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
      assertThat(statuses).filteredOn(s -> s == 409).hasSize(threads - 3);
      assertThat(pending("erin")).isEqualTo(3);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * An approver's list is a page, with the total; every page together is every task, oldest first,
   * each once.
   */
  @Test
  void anApproverReadsWhatTheyMayDecidePageByPage() {
    List<String> asked = new ArrayList<>();
    for (String person : List.of("alice", "erin")) {
      for (String resource : List.of("staging-db-admin", "prod-db-readonly")) {
        Answer created = ask(person, resource);
        assertThat(created.status()).isEqualTo(201);
        asked.add(created.json().get("id").asText());
      }
    }
    JsonNode first = door.call("GET", "/api/approvals?page=0&size=3").as("bob").send().json();
    assertThat(first.get("page").asInt()).isZero();
    assertThat(first.get("size").asInt()).isEqualTo(3);
    assertThat(first.get("totalItems").asLong()).isEqualTo(4);
    assertThat(first.get("items")).hasSize(3);
    JsonNode second = door.call("GET", "/api/approvals?page=1&size=3").as("bob").send().json();
    assertThat(second.get("items")).hasSize(1);
    List<String> listed = new ArrayList<>(first.get("items").findValuesAsText("requestId"));
    listed.addAll(second.get("items").findValuesAsText("requestId"));
    assertThat(listed).containsExactlyElementsOf(asked);
    // carol (security) decides none of them before a team lead has
    assertThat(
            door.call("GET", "/api/approvals").as("carol").send().json().get("totalItems").asLong())
        .isZero();
    assertThat(door.call("GET", "/api/approvals?size=201").as("bob").send().status())
        .isEqualTo(400);
    assertThat(door.call("GET", "/api/approvals?page=-1").as("bob").send().status()).isEqualTo(400);
  }

  private Answer ask(String person, String resource) {
    return door.call("POST", "/api/access-requests")
        .as(person)
        .json(Map.of("resource", resource, "duration", "PT1H", "justification", "queue check"))
        .send();
  }

  private long pending(String person) {
    return jdbc.queryForObject(
        "select count(*) from access_request where requester = ? and status = 'PENDING'",
        Long.class,
        person);
  }

  private static void assertEngineRefused(Answer answer, int status, String message) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.json().get("message").asText()).startsWith(message);
    assertThat(answer.body()).doesNotContain("io.portcullis").doesNotContain("Exception");
  }

  /**
   * Logs into Tasklist as its page does; the latest jit-access, as Tasklist's "Start process" lists
   * it.
   */
  private String loggedIntoTasklist(String user) {
    assertThat(door.webappLogin("tasklist", user, Door.demo(user)).status()).isEqualTo(200);
    for (JsonNode definition :
        door.call(
                "GET",
                WEBAPP_ENGINE
                    + "/process-definition?latestVersion=true&startableInTasklist=true&active=true")
            .send()
            .json()) {
      if ("jit-access".equals(definition.get("key").asText())) {
        return definition.get("id").asText();
      }
    }
    throw new AssertionError("Tasklist does not offer jit-access to " + user);
  }

  private Answer submitInTasklist(String definition, String resource) {
    return door.call("POST", WEBAPP_ENGINE + "/process-definition/" + definition + "/submit-form")
        .header("X-XSRF-TOKEN", door.xsrfToken())
        .json(Map.of("variables", startForm(resource)))
        .send();
  }

  private Answer engineRest(String person, String resource) {
    return door.call("POST", "/engine-rest/process-definition/key/jit-access/submit-form")
        .as(person)
        .json(Map.of("variables", startForm(resource)))
        .send();
  }

  private static Map<String, Object> startForm(String resource) {
    Map<String, Object> variables = new HashMap<>();
    variables.put("resource", Map.of("value", resource));
    variables.put("duration", Map.of("value", "PT1H"));
    variables.put("justification", Map.of("value", "queue check"));
    return variables;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
