package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The SCIM door checks the token before anything else: wrong tokens from an address are slowed
 * (401, then 429 with Retry-After, a SCIM error) and audited, one by one up to the burst, then in
 * summaries; the identity provider's real token is never refused by the throttle, even from that
 * same address (behind one proxy, the attacker's and the identity provider's requests share it).
 */
@ThrottledDoorsTest
class ScimThrottlingTest {

  @LocalServerPort int port;

  @Test
  void twentyWrongTokensNeverKeepTheRealOneOut() {
    Door door = new Door(port);
    String shared = "203.0.113.80";
    int unauthorized = 0;
    int throttled = 0;
    for (int i = 0; i < 20; i++) {
      Answer wrong =
          door.call("GET", "/scim/v2/Users/erin").from(shared).bearer("guess-" + i).send();
      unauthorized += wrong.status() == 401 ? 1 : 0;
      throttled += wrong.status() == 429 ? 1 : 0;
      if (wrong.status() == 429) {
        assertThat(wrong.retryAfter()).isNotNull();
        ScimDoorTest.assertScimError(wrong, 429, null);
      }
    }
    assertThat(unauthorized).isEqualTo(ThrottledDoorsTest.ADDRESS_BURST);
    assertThat(throttled).isEqualTo(20 - ThrottledDoorsTest.ADDRESS_BURST);

    Answer right =
        door.call("GET", "/scim/v2/Users/erin").from(shared).bearer("scim-demo-token").send();
    assertThat(right.status())
        .as("the identity provider, behind the same address: " + right.body())
        .isEqualTo(200);
    assertThat(
            door.call("GET", "/scim/v2/Users/erin")
                .from(shared)
                .bearer("guess-again")
                .send()
                .status())
        .as("guessing stays slowed")
        .isEqualTo(429);
    assertThat(door.call("GET", "/api/catalog").from(shared).as("alice").send().status())
        .as("a login from the same address")
        .isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<JsonNode> summaries =
                  LoginThrottlingTest.events(door, "login.throttled", shared);
              assertThat(summaries.stream().mapToLong(LoginThrottlingTest::count).sum())
                  .isEqualTo(20 - ThrottledDoorsTest.ADDRESS_BURST + 1);
              assertThat(summaries)
                  .allSatisfy(
                      e -> {
                        assertThat(e.get("details").get("doors").toString())
                            .isEqualTo("[\"scim\"]");
                        assertThat(e.get("details").get("presented").asText())
                            .isEqualTo("bearer token");
                      });
            });
    assertThat(LoginThrottlingTest.events(door, "login.failed", shared))
        .hasSize(ThrottledDoorsTest.ADDRESS_BURST);
    String trail = door.call("GET", "/api/audit?size=500").as("frank").send().body();
    assertThat(trail).doesNotContain("scim-demo-token").doesNotContain("guess-");
  }
}
