package io.portcullis.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.kernel.RequestId;
import io.portcullis.offboarding.OffboardingTables;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.Leavers;
import io.portcullis.support.ProcessFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * An {@code api-key} catalog entry ({@code ci-api-key}) as its users meet it, through real HTTP
 * with the engine clock: asked for and approved like a group, the key taken once, introspected by
 * the demo resource server {@code deploy-api}, and dead at introspection from the step that ends
 * the grant (revoke, expiry, offboarding).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyCredentialTest extends ProcessFixture {

  @LocalServerPort int port;
  Door door;
  Leavers people;

  @BeforeEach
  void setUp() {
    door = new Door(port);
    people = new Leavers(ldap);
  }

  @AfterEach
  void cleanUp() {
    OffboardingTables.deleteAll(jdbc);
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey("offboarding")
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    people.removeAll();
  }

  @Test
  void aliceTakesHerKeyOnceAndItDiesWithTheRevokeStep(CapturedOutput output) {
    String id = activeGrant("alice", "PT1H");
    Answer issued =
        door.call("POST", "/api/access-requests/" + id + "/credential")
            .json(Map.of())
            .as("alice")
            .send();
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    assertThat(issued.header("Cache-Control")).contains("no-store");
    String key = issued.json().get("apiKey").asText();
    assertThat(key).matches("pcx_[0-9A-Za-z]{36}");
    assertThat(Instant.parse(issued.json().get("expiresAt").asText()))
        .isEqualTo(T0.plusSeconds(3600));

    // once: a second call is a conflict, and nobody else takes it (bob decides it: 403; erin may
    // not see it: 404)
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/credential")
                .json(Map.of())
                .as("alice")
                .send()
                .status())
        .isEqualTo(409);
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/credential")
                .json(Map.of())
                .as("bob")
                .send()
                .status())
        .isEqualTo(403);
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/credential")
                .json(Map.of())
                .as("erin")
                .send()
                .status())
        .isEqualTo(404);
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/credential")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(401);

    JsonNode active = introspect(key);
    assertThat(active.get("active").asBoolean()).isTrue();
    assertThat(active.get("sub").asText()).isEqualTo("alice");
    assertThat(active.get("scope").asText()).isEqualTo("ci:deploy");
    assertThat(active.get("client_id").asText()).isEqualTo("ci-api-key");
    assertThat(active.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(active.get("exp").asLong()).isEqualTo(T0.plusSeconds(3600).getEpochSecond());
    assertThat(active.get("request_id").asText()).isEqualTo(id);

    // the revoke is asked for (202); the key lives until the revoke step commits, and is dead from
    // that commit
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/revoke")
                .as("alice")
                .json(Map.of("reason", "pipeline done"))
                .send()
                .status())
        .isEqualTo(202);
    runJobAt(instanceOf(id), "serviceTask_revokeAccess");
    assertThat(introspect(key).toString()).isEqualTo("{\"active\":false}");
    assertThat(requests.find(RequestId.of(id)).orElseThrow().status().name()).isEqualTo("REVOKED");

    // the trail: issued and revoked by key id; no key, and no hash of it, in any event or log line
    String keyId =
        jdbc.queryForObject("select id from credential where request_id = ?", String.class, id);
    List<Map<String, Object>> events =
        jdbc.queryForList(
            "select action, details from audit_event where request_id = ? order by id", id);
    assertThat(events)
        .extracting(e -> e.get("ACTION"))
        .contains("credential.issued", "credential.revoked");
    assertThat(events)
        .filteredOn(e -> e.get("ACTION").toString().startsWith("credential."))
        .allSatisfy(e -> assertThat(e.get("DETAILS").toString()).contains(keyId));
    assertNowhere(key, output);
  }

  @Test
  void twoHandOutsAtOnceGiveOneKey() throws Exception {
    String id = activeGrant("alice", "PT1H");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(
            pool.submit(
                () ->
                    new Door(port)
                        .call("POST", "/api/access-requests/" + id + "/credential")
                        .json(Map.of())
                        .as("alice")
                        .send()
                        .status()));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> call : calls) {
        statuses.add(call.get(30, TimeUnit.SECONDS));
      }
      assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
    } finally {
      pool.shutdown();
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from credential where request_id = ?", Integer.class, id))
        .isEqualTo(1);
  }

  /**
   * Two live grants of one entry share the slot (rule 9): revoking the first kills its key, not the
   * second's.
   */
  @Test
  void revokingOneOfTwoOverlappingGrantsKillsOnlyItsKey() {
    String first = activeGrant("alice", "PT1H");
    String second = activeGrant("alice", "PT2H");
    String firstKey =
        door.call("POST", "/api/access-requests/" + first + "/credential")
            .json(Map.of())
            .as("alice")
            .send()
            .json()
            .get("apiKey")
            .asText();
    String secondKey =
        door.call("POST", "/api/access-requests/" + second + "/credential")
            .json(Map.of())
            .as("alice")
            .send()
            .json()
            .get("apiKey")
            .asText();
    assertThat(
            door.call("POST", "/api/access-requests/" + first + "/revoke")
                .as("alice")
                .json(Map.of("reason", "done"))
                .send()
                .status())
        .isEqualTo(202);
    runJobAt(instanceOf(first), "serviceTask_revokeAccess");
    assertThat(introspect(firstKey).toString()).isEqualTo("{\"active\":false}");
    assertThat(introspect(secondKey).get("active").asBoolean()).isTrue();
    assertThat(introspect(secondKey).get("request_id").asText()).isEqualTo(second);
  }

  @Test
  void theKeyIsDeadAtTheGrantsEndBeforeTheExpiryStepRuns(CapturedOutput output) {
    String id = activeGrant("alice", "PT1H");
    String key =
        door.call("POST", "/api/access-requests/" + id + "/credential")
            .json(Map.of())
            .as("alice")
            .send()
            .json()
            .get("apiKey")
            .asText();
    moveClockTo(T0.plusSeconds(3599));
    assertThat(introspect(key).get("active").asBoolean()).isTrue();
    moveClockTo(T0.plusSeconds(3600));
    assertThat(introspect(key).toString()).isEqualTo("{\"active\":false}");
    runJobAt(instanceOf(id), "timerEvent_accessExpired");
    runJobAt(instanceOf(id), "serviceTask_revokeAccess");
    assertThat(requests.find(RequestId.of(id)).orElseThrow().status().name()).isEqualTo("EXPIRED");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from credential where request_id = ? and revoked_at is not null",
                Integer.class,
                id))
        .isEqualTo(1);
    // a grant ended can give no key any more
    assertThat(
            door.call("POST", "/api/access-requests/" + id + "/credential")
                .json(Map.of())
                .as("alice")
                .send()
                .status())
        .isEqualTo(409);
    assertNowhere(key, output);
  }

  @Test
  void aWrongChecksumAnUnknownKeyAndAnythingElseAreInactive() {
    String id = activeGrant("alice", "PT1H");
    String key =
        door.call("POST", "/api/access-requests/" + id + "/credential")
            .json(Map.of())
            .as("alice")
            .send()
            .json()
            .get("apiKey")
            .asText();
    char last = key.charAt(key.length() - 1);
    String wrongChecksum = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    String unknown = ApiKeyFormat.newKey();
    for (String token :
        List.of(wrongChecksum, unknown, "pcx_", "not a key", key + "x", key.toUpperCase())) {
      assertThat(introspect(token).toString()).as(token).isEqualTo("{\"active\":false}");
    }
    assertThat(introspect(key).get("active").asBoolean()).isTrue();
  }

  @Test
  void onlyAConfiguredResourceServerMayIntrospect() {
    String form = "token=" + ApiKeyFormat.newKey();
    assertThat(door.call("POST", "/oauth2/introspect").form(form).send().status())
        .as("no credentials")
        .isEqualTo(401);
    Answer wrong =
        door.call("POST", "/oauth2/introspect")
            .as("deploy-api", "not-its-secret")
            .form(form)
            .send();
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().get("error").asText()).isEqualTo("invalid_client");
    // a person's login opens no introspection, nor does another client's name with this secret
    assertThat(door.call("POST", "/oauth2/introspect").as("alice").form(form).send().status())
        .isEqualTo(401);
    assertThat(
            door.call("POST", "/oauth2/introspect")
                .as("other-api", "deploy-api-demo")
                .form(form)
                .send()
                .status())
        .isEqualTo(401);
    assertThat(
            door.call("POST", "/oauth2/introspect")
                .as("deploy-api", "deploy-api-demo")
                .form("")
                .send()
                .status())
        .isEqualTo(400);
    // nor does a resource server's secret open a person's door
    assertThat(
            door.call("GET", "/api/access-requests")
                .as("deploy-api", "deploy-api-demo")
                .send()
                .status())
        .isEqualTo(401);
  }

  @Test
  void offboardingTheHolderKillsTheKeyAndTheReportSaysSo(CapturedOutput output) {
    people.person("nora", "developers");
    String id = activeGrant("nora", "PT4H");
    String key =
        door.call("POST", "/api/access-requests/" + id + "/credential")
            .json(Map.of())
            .as("nora")
            .send()
            .json()
            .get("apiKey")
            .asText();
    assertThat(introspect(key).get("active").asBoolean()).isTrue();

    Answer started =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(Map.of("username", "nora", "reason", "left the company", "hrReference", "HR-28"))
            .send();
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String offboarding = started.json().get("id").asText();
    // from the freeze's commit, before the saga reaches her grant (still ACTIVE), the key is
    // refused
    String saga =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey("offboarding")
            .singleResult()
            .getId();
    management.executeJob(
        management
            .createJobQuery()
            .processInstanceId(saga)
            .activityId("serviceTask_findPerson")
            .singleResult()
            .getId());
    assertThat(requests.find(RequestId.of(id)).orElseThrow().status().name()).isEqualTo("ACTIVE");
    assertThat(introspect(key).toString()).isEqualTo("{\"active\":false}");
    drain();
    assertThat(introspect(key).toString()).isEqualTo("{\"active\":false}");
    JsonNode done =
        door.call("GET", "/api/offboardings/" + offboarding).as("hr-system").send().json();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    List<String> items = new ArrayList<>();
    for (JsonNode system : done.get("report").get("systems")) {
      if (system.get("system").asText().equals("ci-api-key")) {
        system
            .get("items")
            .forEach(
                i ->
                    items.add(
                        i.get("kind").asText()
                            + " "
                            + i.get("target").asText()
                            + " -> "
                            + i.get("how").asText()));
      }
    }
    // the freeze disables her account in the instance: introspection refuses all her keys from it
    assertThat(items)
        .containsExactlyInAnyOrder(
            "GRANT ci:deploy -> ended through its request: REVOKED",
            "ACCOUNT nora -> disabled; sessions ended");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from credential where request_id = ? and revoked_at is not null",
                Integer.class,
                id))
        .isEqualTo(1);
    assertNowhere(key, output);
  }

  // --- helpers

  /** A ci-api-key request of this person, approved by bob (team-leads) and granted: ACTIVE. */
  private String activeGrant(String requester, String duration) {
    return activeOverApi(door, requester, "ci-api-key", duration, "release pipeline");
  }

  private ProcessInstance instanceOf(String id) {
    return runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).singleResult();
  }

  private JsonNode introspect(String token) {
    Answer answer =
        door.call("POST", "/oauth2/introspect")
            .as("deploy-api", "deploy-api-demo")
            .form("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
            .send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  /** Neither the key nor its hash in any audit event or any line logged while the test ran. */
  private void assertNowhere(String key, CapturedOutput output) {
    String hash = SecretHash.of(key);
    for (String secret : List.of(key, hash)) {
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from audit_event where details like ? or subject like ? or resource like ?",
                  Integer.class,
                  "%" + secret + "%",
                  "%" + secret + "%",
                  "%" + secret + "%"))
          .isZero();
      assertThat(output.getAll()).doesNotContain(secret);
    }
  }
}
