package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Guessing the SCIM token is slowed like guessing a password: after a burst of wrong tokens from an
 * address, even the right one is answered 429 (a SCIM error, with Retry-After) until time refills the
 * allowance; the refusals are audited. Logins keep their own count.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"portcullis.login.address-burst=3", "portcullis.login.address-refill=PT1H"})
@ActiveProfiles({"demo", "test"})
class ScimThrottlingTest {

  @LocalServerPort int port;

  @Test
  void twentyWrongTokensThenTheRightOneIsStillRefused() {
    Door door = new Door(port);
    int unauthorized = 0;
    int throttled = 0;
    for (int i = 0; i < 20; i++) {
      int status = door.call("GET", "/scim/v2/Users/erin").bearer("guess-" + i).send().status();
      unauthorized += status == 401 ? 1 : 0;
      throttled += status == 429 ? 1 : 0;
    }
    assertThat(unauthorized).isEqualTo(3);
    assertThat(throttled).isEqualTo(17);
    Answer right = door.call("GET", "/scim/v2/Users/erin").bearer("scim-demo-token").send();
    assertThat(right.status()).isEqualTo(429);
    assertThat(right.retryAfter()).isNotNull();
    ScimDoorTest.assertScimError(right, 429, null);
    assertThat(door.call("GET", "/api/catalog").as("alice").send().status()).as("a login from the same address").isEqualTo(200);

    var audit = door.call("GET", "/api/audit?action=login.throttled&size=100").as("frank").send().json();
    assertThat(audit.get("totalItems").asLong()).isEqualTo(18);
    assertThat(audit.toString()).doesNotContain("scim-demo-token").doesNotContain("guess-");
  }
}
