package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Guessing a password is slowed down at every door: after a burst of failures for a name, even the
 * right password is answered 429 until time refills the allowance, and the refusals are audited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"portcullis.login.name-burst=3", "portcullis.login.name-refill=PT1H", "portcullis.login.address-burst=1000"})
@ActiveProfiles({"demo", "test"})
class LoginThrottlingTest {

  @LocalServerPort int port;

  @Test
  void fortyWrongPasswordsThenTheRightOneIsStillRefused() {
    Door door = new Door(port);
    int unauthorized = 0;
    int throttled = 0;
    for (int i = 0; i < 40; i++) {
      String path = i % 2 == 0 ? "/api/catalog" : "/engine-rest/task";
      int status = door.call("GET", path).as(i % 3 == 0 ? "ERIN" : "erin", "guess-" + i).send().status();
      unauthorized += status == 401 ? 1 : 0;
      throttled += status == 429 ? 1 : 0;
    }
    assertThat(unauthorized).isEqualTo(3);
    assertThat(throttled).isEqualTo(37);
    Answer right = door.call("GET", "/api/catalog").as("erin").send();
    assertThat(right.status()).isEqualTo(429);
    assertThat(right.retryAfter()).isNotNull();
    assertThat(right.contentType()).startsWith("application/problem+json");
    assertThat(door.call("GET", "/api/catalog").as("alice").send().status()).as("somebody else").isEqualTo(200);
    assertThat(door.webappLogin("tasklist", "erin", "erin-demo").status()).as("the webapps' login too").isEqualTo(429);

    var audit = door.call("GET", "/api/audit?action=login.throttled&size=100").as("frank").send().json();
    assertThat(audit.get("totalItems").asLong()).isGreaterThanOrEqualTo(38);
    assertThat(door.call("GET", "/api/audit?action=login.failed&size=100").as("frank").send().json().get("totalItems").asLong())
        .isEqualTo(3);
  }
}
