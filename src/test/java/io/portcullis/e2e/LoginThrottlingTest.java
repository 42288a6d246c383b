package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Guessing a password is slowed at every door (HTTP Basic on {@code /api} and {@code /engine-rest},
 * the webapps' login form), and a stranger cannot turn the slowing against anyone else: failures
 * count per name and address first, so the address that failed is refused while the same name from
 * an address that has not failed is checked; an address guessing many names is refused only for the
 * names it failed. The client address is the one the trusted proxy names. Refusals reach the audit
 * trail as summaries.
 */
@ThrottledDoorsTest
class LoginThrottlingTest {

  private static final int NAME_BURST = ThrottledDoorsTest.NAME_BURST;
  private static final int ADDRESS_BURST = ThrottledDoorsTest.ADDRESS_BURST;
  private static final Duration SUMMARY_PERIOD = Duration.ofSeconds(2);

  @LocalServerPort int port;

  @Test
  void hrSystemStillGetsInAfterAStrangersFiftyFailuresFromAnotherAddress() {
    Door door = new Door(port);
    String stranger = "203.0.113.50";
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String path = i % 2 == 0 ? "/api/offboardings" : "/engine-rest/task";
      statuses.add(
          door.call("GET", path)
              .from(stranger)
              .as(i % 3 == 0 ? "HR-System" : "hr-system", "guess-" + i)
              .send()
              .status());
    }
    // its burst, or a single try if the name is under attack already (the service accounts' test
    // attacks it too)
    assertThat(statuses.get(0)).isEqualTo(401);
    assertThat(statuses.subList(0, NAME_BURST)).isSubsetOf(401, 429);
    assertThat(statuses.subList(NAME_BURST, 50))
        .as("the stranger's own address is slowed")
        .containsOnly(429);

    Answer hr = door.call("GET", "/api/offboardings").from("198.51.100.20").as("hr-system").send();
    assertThat(hr.status()).as("the HR system from its own address: " + hr.body()).isEqualTo(200);
    assertThat(
            door.call("GET", "/engine-rest/task")
                .from("198.51.100.20")
                .as("hr-system")
                .send()
                .status())
        .isEqualTo(200);

    Answer strangersRightGuess =
        door.call("GET", "/api/offboardings").from(stranger).as("hr-system").send();
    assertThat(strangersRightGuess.status())
        .as("the right password from the stranger's address is not even checked")
        .isEqualTo(429);
    assertThat(strangersRightGuess.retryAfter()).isNotNull();
    assertThat(strangersRightGuess.contentType()).startsWith("application/problem+json");

    // while the name is under attack, another address gets one try, not a burst: guessing stays
    // slowed
    String another = "203.0.113.51";
    assertThat(
            door.call("GET", "/api/offboardings")
                .from(another)
                .as("hr-system", "guess-again")
                .send()
                .status())
        .isEqualTo(401);
    assertThat(
            door.call("GET", "/api/offboardings")
                .from(another)
                .as("hr-system", "guess-more")
                .send()
                .status())
        .isEqualTo(429);
    assertThat(door.call("GET", "/api/offboardings").from(another).as("hr-system").send().status())
        .isEqualTo(429);
  }

  @Test
  void theWebappsLoginFormHoldsTheSameRule() {
    Door door = new Door(port);
    String stranger = "203.0.113.52";
    for (int i = 0; i < 20; i++) {
      int status = door.webappLogin("tasklist", "bob", "guess-" + i, stranger).status();
      assertThat(status).isEqualTo(i < NAME_BURST ? 401 : 429);
    }
    assertThat(door.webappLogin("tasklist", "bob", Door.demo("bob"), stranger).status())
        .isEqualTo(429);
    assertThat(
            new Door(port)
                .webappLogin("tasklist", "bob", Door.demo("bob"), "198.51.100.22")
                .status())
        .as("bob from his own address")
        .isEqualTo(200);
    assertThat(door.call("GET", "/api/catalog").from("198.51.100.22").as("bob").send().status())
        .isEqualTo(200);
  }

  @Test
  void aValidUserBehindTheSameAddressAsAnAttackerStillGetsIn() {
    Door door = new Door(port);
    String office = "203.0.113.60";
    // the attacker behind the office's address guesses many names, and carol's password once
    assertThat(door.call("GET", "/api/catalog").from(office).as("carol", "guess").send().status())
        .isEqualTo(401);
    for (int i = 0; i < 30; i++) {
      assertThat(
              door.call("GET", i % 2 == 0 ? "/api/catalog" : "/engine-rest/task")
                  .from(office)
                  .as("guess" + i, "guess")
                  .send()
                  .status())
          .as("a name that never failed from here is checked")
          .isEqualTo(401);
    }

    assertThat(door.call("GET", "/api/catalog").from(office).as("alice").send().status())
        .as("alice, from the office")
        .isEqualTo(200);
    assertThat(door.call("GET", "/engine-rest/task").from(office).as("erin").send().status())
        .as("erin")
        .isEqualTo(200);
    assertThat(new Door(port).webappLogin("tasklist", "dave", Door.demo("dave"), office).status())
        .as("dave, in Tasklist")
        .isEqualTo(200);

    // a name the attacker failed from here is refused from here, unchecked, while the address
    // guesses
    assertThat(door.call("GET", "/api/catalog").from(office).as("carol").send().status())
        .isEqualTo(429);
    assertThat(door.call("GET", "/api/catalog").from("198.51.100.60").as("carol").send().status())
        .as("carol elsewhere")
        .isEqualTo(200);
    assertThat(door.call("GET", "/api/catalog").from(office).as("guess1", "again").send().status())
        .isEqualTo(429);

    // failed logins are audited one by one up to the address's burst, then in summaries; both name
    // the office
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<JsonNode> failed = events(door, "login.failed", office);
              assertThat(failed.stream().mapToLong(LoginThrottlingTest::count).sum()).isEqualTo(31);
              assertThat(failed.stream().filter(e -> !e.get("details").has("count")).count())
                  .isLessThan(31)
                  .isGreaterThanOrEqualTo(ADDRESS_BURST);
            });
  }

  @Test
  void theAddressIsTheOneTheTrustedProxyNames() {
    Door door = new Door(port);
    assertThat(
            door.call("GET", "/api/catalog").from("192.0.2.7").as("erin", "wrong").send().status())
        .isEqualTo(401);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(events(door, "login.failed", "192.0.2.7"))
                    .singleElement()
                    .satisfies(
                        e -> assertThat(e.get("details").get("name").asText()).isEqualTo("erin")));
  }

  @Test
  void aFloodOfThrottledAttemptsWritesAHandfulOfSummaries() {
    Door door = new Door(port);
    String flood = "203.0.113.90";
    long started = System.nanoTime();
    int throttled = 0;
    for (int i = 0; i < NAME_BURST + 500; i++) {
      String path = i % 2 == 0 ? "/api/catalog" : "/engine-rest/task";
      throttled +=
          door.call("GET", path).from(flood).as("olivia", "flood-" + i).send().status() == 429
              ? 1
              : 0;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(throttled).isEqualTo(500);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        events(door, "login.throttled", flood).stream()
                            .mapToLong(LoginThrottlingTest::count)
                            .sum())
                    .isEqualTo(500));
    List<JsonNode> summaries = events(door, "login.throttled", flood);
    // one summary per name and address per period: the flood lasted this many periods, and one more
    // may have begun
    assertThat(summaries)
        .hasSizeLessThanOrEqualTo((int) (took.toMillis() / SUMMARY_PERIOD.toMillis()) + 2);
    for (JsonNode summary : summaries) {
      JsonNode details = summary.get("details");
      assertThat(details.get("name").asText()).isEqualTo("olivia");
      // as instants: ISO text of a whole second ("...:15Z") sorts after the same second's
      // fractions ("...:15.655Z")
      assertThat(Instant.parse(details.get("first").asText()))
          .isBeforeOrEqualTo(Instant.parse(details.get("last").asText()));
      assertThat(details.get("doors"))
          .extracting(JsonNode::toString)
          .asString()
          .contains("api")
          .contains("engine-rest");
    }
    assertThat(summaries.toString()).doesNotContain("flood-");
    assertThat(events(door, "login.failed", flood)).hasSize(NAME_BURST);
  }

  /** The audit events of an action that name this address. */
  static List<JsonNode> events(Door door, String action, String address) {
    JsonNode page =
        door.call("GET", "/api/audit?action=" + action + "&size=500").as("frank").send().json();
    List<JsonNode> found = new ArrayList<>();
    page.get("items")
        .forEach(
            e -> {
              if (address.equals(e.get("details").path("address").asText())) {
                found.add(e);
              }
            });
    return found;
  }

  /** How many attempts an event stands for: a summary's count, or one. */
  static long count(JsonNode event) {
    return event.get("details").has("count") ? event.get("details").get("count").asLong() : 1;
  }
}
