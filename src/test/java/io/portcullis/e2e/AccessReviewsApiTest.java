package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.review.ReviewProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.naming.Name;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import org.springframework.ldap.NameNotFoundException;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.support.LdapNameBuilder;
import org.springframework.test.context.ActiveProfiles;

/**
 * An access review through {@code /api/access-reviews}, on the context of {@link
 * AccessRequestApiTest} (job executor running): dave (admin) starts it, carol (security, the test
 * profile's owner of reviewed-group) removes erin, who is revoked in the directory; each refusal at
 * its door.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "camunda.bpm.job-execution.enabled=true",
      "portcullis.requests.min-duration=PT1S"
    })
@ActiveProfiles({"demo", "test"})
class AccessReviewsApiTest {

  static final String GROUP = "cn=reviewed-group,ou=groups,dc=portcullis,dc=demo";
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @Autowired TestRestTemplate http;
  @Autowired LdapGroupConnector directory;
  @Autowired LdapTemplate ldap;
  @Autowired JdbcTemplate jdbc;
  @Autowired RuntimeService runtime;

  @BeforeEach
  void makeTheGroup() {
    removeGroup();
    DirContextAdapter entry = new DirContextAdapter(dn());
    entry.setAttributeValue("cn", "reviewed-group");
    entry.setAttributeValues("objectClass", new String[] {"top", "groupOfNames"});
    List<String> members =
        new ArrayList<>(List.of("cn=empty-group-placeholder,dc=portcullis,dc=demo"));
    for (String person : List.of("erin", "bob", "carol")) {
      members.add("uid=" + person + ",ou=people,dc=portcullis,dc=demo");
    }
    entry.setAttributeValues("member", members.toArray());
    ldap.bind(entry);
  }

  @AfterEach
  void cleanUp() {
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(ReviewProcess.KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    jdbc.update("delete from access_review_item");
    jdbc.update("delete from access_review");
    removeGroup();
  }

  @Test
  void daveStartsAReviewCarolRemovesErinAndErinIsRevoked() {
    ResponseEntity<JsonNode> started =
        post("dave", "/api/access-reviews", Map.of("resource", "reviewed-group"));
    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String id = started.getBody().get("id").asText();
    assertThat(started.getHeaders().getLocation()).hasToString("/api/access-reviews/" + id);
    assertThat(started.getBody().get("owner").asText()).isEqualTo("security");
    assertThat(started.getBody().get("onUnreviewed").asText()).isEqualTo("revoke-unreviewed");

    JsonNode review =
        await()
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> get("carol", "/api/access-reviews/" + id).getBody(),
                body -> body.get("items").size() == 3 && !taskIdsMissing(id));
    assertThat(review.get("items").findValuesAsText("holder"))
        .containsExactly("bob", "carol", "erin");
    assertThat(review.get("items").get(2).get("history").asText()).contains("Last use: unknown");

    // a second campaign of the same resource waits for this one
    assertThat(
            post("dave", "/api/access-reviews", Map.of("resource", "reviewed-group"))
                .getStatusCode())
        .isEqualTo(HttpStatus.CONFLICT);
    // who may see it: owners, admins, auditors; alice not (404, as for a missing one)
    assertThat(get("frank", "/api/access-reviews/" + id).getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(get("alice", "/api/access-reviews/" + id).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(get("carol", "/api/access-reviews").getBody().findValuesAsText("id")).contains(id);
    assertThat(get("alice", "/api/access-reviews").getBody().findValuesAsText("id"))
        .doesNotContain(id);

    ResponseEntity<JsonNode> removed =
        post(
            "carol",
            "/api/access-reviews/" + id + "/items/3",
            Map.of("decision", "remove", "comment", "moved to another team"));
    assertThat(removed.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(removed.getBody().get("outcome").asText()).isEqualTo("REMOVE");
    assertThat(removed.getBody().get("decidedBy").asText()).isEqualTo("carol");

    JsonNode erin =
        await()
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> get("dave", "/api/access-reviews/" + id).getBody().get("items").get(2),
                item -> item.hasNonNull("revokedAt"));
    assertThat(erin.get("holder").asText()).isEqualTo("erin");
    assertThat(directory.holds(Username.of("erin"), Target.of(GROUP))).isFalse();
    assertThat(directory.holds(Username.of("bob"), Target.of(GROUP))).isTrue();

    ResponseEntity<String> csv =
        http.withBasicAuth("frank", "frank-demo")
            .getForEntity("/api/access-reviews/" + id + "/evidence?format=csv", String.class);
    assertThat(csv.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(csv.getBody())
        .startsWith("review,resource,owner,holder,outcome,decidedBy,decidedAt,comment,revokedAt")
        .contains(
            "\"reviewed-group\",\"security\",\"erin\",\"REMOVE\",\"carol\"",
            "\"moved to another team\"",
            "\"bob\",\"PENDING\"");
    ResponseEntity<String> jsonl =
        http.withBasicAuth("dave", "dave-demo")
            .getForEntity("/api/access-reviews/" + id + "/evidence", String.class);
    assertThat(jsonl.getBody().lines()).hasSize(3);
    assertThat(
            get("frank", "/api/audit?action=review.decided&resource=reviewed-group")
                .getBody()
                .get("items")
                .findValuesAsText("actor"))
        .contains("carol");
  }

  @Test
  void eachRefusalAtItsDoor() {
    assertProblem(
        post("alice", "/api/access-reviews", Map.of("resource", "reviewed-group")),
        HttpStatus.FORBIDDEN,
        "Only an admin may start an access review.");
    assertProblem(
        post("dave", "/api/access-reviews", Map.of("resource", "no-such-thing")),
        HttpStatus.NOT_FOUND,
        "No resource 'no-such-thing' in the catalog.");
    assertProblem(
        post("dave", "/api/access-reviews", Map.of("resource", "prod-db-readonly")),
        HttpStatus.BAD_REQUEST,
        "has no owner group to review it");
    assertThat(post("dave", "/api/access-reviews", Map.of()).getStatusCode())
        .isEqualTo(HttpStatus.BAD_REQUEST);

    String id =
        post("dave", "/api/access-reviews", Map.of("resource", "reviewed-group"))
            .getBody()
            .get("id")
            .asText();
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !taskIdsMissing(id) && itemCount(id) == 3);

    // carol reviewing herself (item 2)
    assertProblem(
        post("carol", "/api/access-reviews/" + id + "/items/2", Map.of("decision", "keep")),
        HttpStatus.FORBIDDEN,
        "a holder cannot review their own access");
    // the same at the engine's own door, as Tasklist completes a task
    String carolsTask =
        jdbc.queryForObject(
            "select task_id from access_review_item where review_id = ? and item = 2",
            String.class,
            id);
    ResponseEntity<JsonNode> engineDoor =
        post(
            "carol",
            "/engine-rest/task/" + carolsTask + "/complete",
            Map.of("variables", Map.of("reviewDecision", Map.of("value", "keep"))));
    assertThat(engineDoor.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
    assertThat(engineDoor.getBody().toString()).contains("a holder cannot review their own access");
    // an admin outside the owner group
    assertProblem(
        post("dave", "/api/access-reviews/" + id + "/items/3", Map.of("decision", "keep")),
        HttpStatus.FORBIDDEN,
        "dave is not in the owner group security of this review");
    // someone who cannot see the review at all: as if it did not exist
    assertThat(
            post("erin", "/api/access-reviews/" + id + "/items/3", Map.of("decision", "keep"))
                .getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
    assertProblem(
        post("carol", "/api/access-reviews/" + id + "/items/3", Map.of("decision", "maybe")),
        HttpStatus.BAD_REQUEST,
        "must be keep or remove");
    assertThat(
            post("carol", "/api/access-reviews/" + id + "/items/9", Map.of("decision", "keep"))
                .getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(
            jdbc.queryForList(
                "select outcome from access_review_item where review_id = ?", String.class, id))
        .containsOnly("PENDING");
  }

  private boolean taskIdsMissing(String id) {
    Integer missing =
        jdbc.queryForObject(
            "select count(*) from access_review_item where review_id = ? and task_id is null",
            Integer.class,
            id);
    return missing == null || missing > 0;
  }

  private int itemCount(String id) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from access_review_item where review_id = ?", Integer.class, id);
    return n == null ? 0 : n;
  }

  private static void assertProblem(
      ResponseEntity<JsonNode> answer, HttpStatus status, String detail) {
    assertThat(answer.getStatusCode()).isEqualTo(status);
    assertThat(answer.getHeaders().getContentType().toString())
        .startsWith("application/problem+json");
    assertThat(answer.getBody().get("detail").asText()).contains(detail);
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

  private void removeGroup() {
    try {
      ldap.unbind(dn());
    } catch (NameNotFoundException absent) {
      // nothing to remove
    }
  }

  private static Name dn() {
    return LdapNameBuilder.newInstance(GROUP).build();
  }
}
