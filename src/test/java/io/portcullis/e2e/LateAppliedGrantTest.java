package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.HeldWritesProxy;
import io.portcullis.support.ProcessFixture;
import io.portcullis.support.SharedDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.util.Throwables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 25, finding 1, through the doors it came in: a directory that applies a grant after
 * Portcullis gave up waiting. The product reaches the directory through a TCP proxy ({@link
 * HeldWritesProxy}) that holds the grant's modify request until the grant step's read timeout (1 s
 * here) has passed and the step has failed, then hands it on: the directory adds the person while
 * the request is PENDING, its grant to be retried. Each way out then ends the access and says so
 * honestly: an operator's deletion through the engine's REST API, the requester's cancel, an
 * admin's revoke, the requester's offboarding, and the approved time running out, counted from the
 * first attempt. Each person is added to the group once (the late write) and removed once, whatever
 * the way out.
 *
 * <p>The product runs whole, driven through its HTTP API; its job executor is off, so the test runs
 * each due step itself (the failed grant's retry is due a minute later on the engine's clock, which
 * the test moves).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.ldap.embedded.EmbeddedLdapAutoConfiguration",
      "portcullis.directory.read-timeout=1s"
    })
@ActiveProfiles({"demo", "test"})
class LateAppliedGrantTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups," + SharedDirectory.BASE_DN;
  static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");

  static final CrashRecoveryTest.Writes WRITES = new CrashRecoveryTest.Writes();
  static final InMemoryDirectoryServer DIRECTORY = SharedDirectory.start(WRITES);
  static final HeldWritesProxy PROXY = new HeldWritesProxy(DIRECTORY.getListenPort());
  static int people;

  @DynamicPropertySource
  static void directoryThroughTheProxy(DynamicPropertyRegistry registry) {
    registry.add("spring.ldap.urls", () -> "ldap://127.0.0.1:" + PROXY.port());
    registry.add("spring.ldap.username", () -> SharedDirectory.ADMIN);
    registry.add("spring.ldap.password", () -> SharedDirectory.ADMIN_PASSWORD);
  }

  @LocalServerPort int port;
  Door door;

  LateAppliedGrantTest() {
    super(T0);
  }

  @BeforeEach
  void setUp() {
    door = new Door(port);
  }

  @AfterEach
  void tearDown() {
    PROXY.release();
  }

  @AfterAll
  static void stop() {
    PROXY.close();
    DIRECTORY.shutDown(true);
  }

  @Test
  void anOperatorDeletesTheStuckInstance_theLateGrantIsRevokedAndTheRequestEndsRevoked()
      throws Exception {
    String person = newPerson();
    String id = grantAppliedAfterTheTimeout(person, "PT8H");

    String instance = instanceOf(id);
    Answer deleted =
        door.call(
                "DELETE", "/engine-rest/process-instance/" + instance + "?skipCustomListeners=true")
            .as("dave")
            .send();
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    JsonNode owed = request(id);
    assertThat(owed.get("status").asText())
        .as("not a harmless CANCELLED: the directory holds %s", person)
        .isEqualTo("PENDING");
    drain();

    assertEnded(person, id, "REVOKED", "dave", "process instance deleted by an operator");
  }

  @Test
  void theRequesterCancels_theLateGrantIsRevoked() throws Exception {
    String person = newPerson();
    String id = grantAppliedAfterTheTimeout(person, "PT8H");

    Answer cancelled =
        door.call("POST", "/api/access-requests/" + id + "/cancel")
            .as(person)
            .json(Map.of())
            .send();
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    drain();

    assertEnded(person, id, "REVOKED", person, "cancelled by the requester");
  }

  @Test
  void anAdminRevokesTheGrantThatIsRetried() throws Exception {
    String person = newPerson();
    String id = grantAppliedAfterTheTimeout(person, "PT8H");

    Answer revoked =
        door.call("POST", "/api/access-requests/" + id + "/revoke")
            .as("dave")
            .json(Map.of("reason", "stuck grant"))
            .send();
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(202);
    drain();

    assertEnded(person, id, "REVOKED", "dave", "stuck grant");
  }

  @Test
  void theRequesterIsOffboarded_theLateGrantIsEndedAsAGrant() throws Exception {
    String person = newPerson();
    String id = grantAppliedAfterTheTimeout(person, "PT8H");

    Answer asked =
        door.call("POST", "/api/offboardings")
            .as("hr-system")
            .json(
                Map.of(
                    "username",
                    person,
                    "reason",
                    "left the company",
                    "hrReference",
                    "HR-" + person))
            .send();
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    String offboarding = asked.json().get("id").asText();
    drain();

    JsonNode done = door.call("GET", "/api/offboardings/" + offboarding).as("frank").send().json();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.toString()).contains("ended through its request: REVOKED");
    assertEnded(person, id, "REVOKED", "offboarding:" + offboarding, "offboarding");
  }

  @Test
  void theApprovedTimeRunsFromTheFirstAttempt_aRetryThatSucceedsEndsThen() throws Exception {
    String person = newPerson();
    String id = grantAppliedAfterTheTimeout(person, "PT1H");

    // the retry, a minute later: the directory answers in time now, and the member is there already
    moveClockTo(T0.plus(Duration.ofMinutes(1)));
    drain();
    JsonNode active = request(id);
    assertThat(active.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(Instant.parse(active.get("grantedAt").asText()))
        .isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(Instant.parse(active.get("expiresAt").asText()))
        .as("an hour from the first attempt, not from the retry")
        .isEqualTo(T0.plus(Duration.ofHours(1)));

    moveClockTo(T0.plus(Duration.ofHours(1)));
    drain();
    assertEnded(person, id, "EXPIRED", null, "expired");
  }

  @Test
  void theApprovedTimeRunsFromTheFirstAttempt_aGrantStillUnconfirmedThenIsRevoked()
      throws Exception {
    String person = newPerson();
    String id = grantAppliedAfterTheTimeout(person, "PT1H");

    // every retry times out the same way, each applied late; then the hour is up
    moveClockTo(T0.plus(Duration.ofMinutes(1)));
    PROXY.holdModifiesOf(STAGING);
    assertThatThrownBy(this::drain).satisfies(LateAppliedGrantTest::aReadTimeout);
    PROXY.release();
    moveClockTo(T0.plus(Duration.ofHours(1)));
    drain();

    assertEnded(person, id, "EXPIRED", null, "expired");
    assertThat(request(id).get("endedAt").asText())
        .isEqualTo(T0.plus(Duration.ofHours(1)).toString());
  }

  // --- the scenario

  /**
   * The person asks, bob approves, and the grant's modify is held past the client's read timeout:
   * the grant step fails, then the directory applies the write. Returns the request's id.
   */
  private String grantAppliedAfterTheTimeout(String person, String duration) throws Exception {
    Answer created =
        door.call("POST", "/api/access-requests")
            .as(person)
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    duration,
                    "justification",
                    "late write",
                    "ticket",
                    "OPS-25"))
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();
    PROXY.holdModifiesOf(STAGING);
    Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of())
            .send();
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);

    assertThatThrownBy(this::drain)
        .as("the grant step waits for the directory's answer, then fails")
        .satisfies(LateAppliedGrantTest::aReadTimeout);
    assertThat(PROXY.awaitHeld(1, Duration.ZERO)).isTrue();
    assertThat(DIRECTORY.getEntry(STAGING).hasAttributeValue("member", dn(person)))
        .as("not applied yet")
        .isFalse();

    PROXY.release();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> DIRECTORY.getEntry(STAGING).hasAttributeValue("member", dn(person)));
    JsonNode pending = request(id);
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("grantedAt").isNull()).isTrue();
    assertThat(pending.get("grantAttemptedAt").asText()).isEqualTo(T0.toString());
    return id;
  }

  private void assertEnded(String person, String id, String status, String endedBy, String reason)
      throws Exception {
    JsonNode ended = request(id);
    assertThat(ended.get("status").asText()).as(ended.toString()).isEqualTo(status);
    if (endedBy == null) {
      assertThat(ended.get("endedBy").isNull()).as(ended.toString()).isTrue();
    } else {
      assertThat(ended.get("endedBy").asText()).isEqualTo(endedBy);
    }
    assertThat(ended.get("endReason").asText()).startsWith(reason);
    assertThat(DIRECTORY.getEntry(STAGING).hasAttributeValue("member", dn(person)))
        .as("%s is in the group", person)
        .isFalse();
    assertThat(WRITES.added(person)).as("times %s was added", person).isEqualTo(1);
    assertThat(WRITES.removed(person)).as("times %s was removed", person).isEqualTo(1);
    List<String> story = ended.get("history").findValuesAsText("action");
    assertThat(story).doesNotContain("access.cancelled");
    assertThat(
            ended.get("history").findValues("details").stream()
                .filter(d -> d.has("accessRemoved"))
                .toList())
        .singleElement()
        .satisfies(d -> assertThat(d.get("accessRemoved").asBoolean()).isTrue());
    assertThat(management.createJobQuery().processInstanceId(instanceOf(id)).count())
        .as("nothing left to run")
        .isZero();
  }

  // --- helpers

  private static void aReadTimeout(Throwable failure) {
    assertThat(failure).hasMessageContaining("could not add");
    assertThat(Throwables.getRootCause(failure))
        .hasMessageContaining("LDAP response read timed out");
  }

  private JsonNode request(String id) {
    Answer answer = door.call("GET", "/api/access-requests/" + id).as("frank").send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  private String instanceOf(String id) {
    return jdbc.queryForObject(
        "select process_instance_id from access_request where id = ?", String.class, id);
  }

  private static String newPerson() throws Exception {
    String name = "late" + (++people);
    DIRECTORY.add(
        new Entry(
            dn(name),
            new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
            new Attribute("uid", name),
            new Attribute("cn", name),
            new Attribute("sn", name),
            new Attribute("userPassword", name + "-demo")));
    return name;
  }

  private static String dn(String person) {
    return "uid=" + person + ",ou=people," + SharedDirectory.BASE_DN;
  }
}
