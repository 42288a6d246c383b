package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A service account's bearer token ({@code portcullis.service-accounts.<name>.token-sha256}) is a
 * door to {@code /api} that no stranger can throttle: the token is checked first, and a valid one
 * is never refused, whatever failed for the account's name or from its address. Its groups and so
 * its role come from the directory, as for its password; the token opens nothing but {@code /api}.
 */
@ThrottledDoorsTest
class ServiceAccountDoorTest {

  @LocalServerPort int port;

  @Test
  void theHrSystemsTokenStartsAnOffboardingWhateverAStrangerTried() {
    Door door = new Door(port);
    String hr = "198.51.100.30";
    for (int i = 0; i < 50; i++) {
      door.call("GET", "/api/offboardings")
          .from("203.0.113.30")
          .as("hr-system", "guess-" + i)
          .send();
    }
    List<Integer> wrongTokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      wrongTokens.add(
          door.call("GET", "/api/offboardings").from(hr).bearer("guess-" + i).send().status());
    }
    assertThat(wrongTokens.subList(0, ThrottledDoorsTest.ADDRESS_BURST)).containsOnly(401);
    assertThat(wrongTokens.subList(ThrottledDoorsTest.ADDRESS_BURST, 50)).containsOnly(429);

    Answer started =
        door.call("POST", "/api/offboardings")
            .from(hr)
            .bearer(ThrottledDoorsTest.HR_TOKEN)
            .json(
                Map.of(
                    "username",
                    "olivia",
                    "reason",
                    "left the company",
                    "hrReference",
                    "HR-TOKEN-1"))
            .send();
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    assertThat(started.json().get("requestedBy").asText()).isEqualTo("hr-system");
    assertThat(
            door.call("GET", "/api/offboardings?username=olivia")
                .from(hr)
                .bearer(ThrottledDoorsTest.HR_TOKEN)
                .send()
                .status())
        .isEqualTo(200);
    assertThat(
            door.call("GET", "/api/offboardings")
                .bearer(ThrottledDoorsTest.HR_TOKEN)
                .send()
                .status())
        .as("from anywhere")
        .isEqualTo(200);
  }

  @Test
  void aServiceAccountHasTheRoleTheDirectoryGivesItAndItsTokenOpensOnlyTheApi() {
    Door door = new Door(port);
    Map<String, String> body =
        Map.of("username", "erin", "reason", "left", "hrReference", "HR-TOKEN-2");
    Answer notHr =
        door.call("POST", "/api/offboardings")
            .bearer(ThrottledDoorsTest.ALICE_TOKEN)
            .json(body)
            .send();
    assertThat(notHr.status()).as("alice's pipeline is no HR system").isEqualTo(403);
    assertThat(
            door.call("GET", "/api/catalog").bearer(ThrottledDoorsTest.ALICE_TOKEN).send().status())
        .isEqualTo(200);

    assertThat(
            door.call("GET", "/engine-rest/task")
                .bearer(ThrottledDoorsTest.HR_TOKEN)
                .send()
                .status())
        .isEqualTo(401);
    assertThat(
            door.call("GET", "/scim/v2/Users/erin")
                .bearer(ThrottledDoorsTest.HR_TOKEN)
                .send()
                .status())
        .isEqualTo(401);
    assertThat(door.call("GET", "/api/offboardings").bearer("scim-demo-token").send().status())
        .as("the SCIM token")
        .isEqualTo(401);

    Answer wrong =
        door.call("GET", "/api/offboardings").from("198.51.100.31").bearer("not-a-token").send();
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.contentType()).startsWith("application/problem+json");
    assertThat(wrong.header("WWW-Authenticate")).startsWith("Bearer");
    var failed = LoginThrottlingTest.events(door, "login.failed", "198.51.100.31");
    assertThat(failed)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("details").get("door").asText()).isEqualTo("api");
              assertThat(e.get("details").get("presented").asText()).isEqualTo("bearer token");
            });
    assertThat(failed.toString()).doesNotContain("not-a-token");
  }
}
