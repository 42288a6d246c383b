package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The holder's OAuth endpoints take no login, so guessing there is slowed the way wrong tokens are
 * at the doors that do: refresh and revocation tokens that are nobody's count against their
 * sender's address, and past the burst the answer is 429 {@code slow_down} with Retry-After, before
 * any lookup of the token.
 */
@ThrottledDoorsTest
class OAuthThrottlingTest {

  @LocalServerPort int port;

  @Test
  void guessedRefreshTokensAreSlowedPerAddress() {
    Door door = new Door(port);
    String guesser = "203.0.113.140";
    int refused = 0;
    int throttled = 0;
    for (int i = 0; i < 9; i++) {
      Answer answer =
          door.call("POST", "/oauth2/token")
              .from(guesser)
              .form("grant_type=refresh_token&refresh_token=pcr_guess" + i)
              .send();
      if (answer.status() == 400) {
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_grant");
        refused++;
      } else {
        assertThat(answer.status()).as(answer.body()).isEqualTo(429);
        assertThat(answer.json().get("error").asText()).isEqualTo("slow_down");
        assertThat(answer.retryAfter()).isNotNull();
        throttled++;
      }
    }
    assertThat(refused).isEqualTo(ThrottledDoorsTest.ADDRESS_BURST);
    assertThat(throttled).isEqualTo(9 - ThrottledDoorsTest.ADDRESS_BURST);
    assertThat(
            door.call("POST", "/oauth2/token")
                .from("203.0.113.141")
                .form("grant_type=refresh_token&refresh_token=pcr_guess")
                .send()
                .status())
        .as("another address is not slowed by this one's guesses")
        .isEqualTo(400);
    assertThat(LoginThrottlingTest.events(door, "login.failed", guesser))
        .hasSize(ThrottledDoorsTest.ADDRESS_BURST)
        .allSatisfy(
            e -> {
              assertThat(e.get("details").get("door").asText()).isEqualTo("oauth2-token");
              assertThat(e.toString()).doesNotContain("pcr_guess");
            });
  }

  @Test
  void guessedTokensToRevokeAreSlowedPerAddress() {
    Door door = new Door(port);
    String guesser = "203.0.113.142";
    for (int i = 0; i < ThrottledDoorsTest.ADDRESS_BURST; i++) {
      assertThat(door.call("POST", "/oauth2/revoke").from(guesser).form("token=x" + i).send())
          .extracting(Answer::status)
          .as("RFC 7009: a token that is nobody's is answered like one revoked")
          .isEqualTo(200);
    }
    Answer slowed = door.call("POST", "/oauth2/revoke").from(guesser).form("token=y").send();
    assertThat(slowed.status()).isEqualTo(429);
    assertThat(slowed.retryAfter()).isNotNull();
  }
}
