package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With no proxy named (the default, and the prod profile's until the operator names theirs), {@code
 * X-Forwarded-For} is a stranger's word and is ignored: the address that counts and is audited is
 * the one the connection came from, so a guesser cannot dodge the throttle, or blame someone else,
 * by writing a new address into each request.
 */
@NamesThrottledTest
class UntrustedForwardedForTest {

  @LocalServerPort int port;

  @Test
  void aClientsForwardedForIsIgnored() {
    Door door = new Door(port);
    for (int i = 0; i < NamesThrottledTest.NAME_BURST; i++) {
      assertThat(
              door.call("GET", "/api/catalog")
                  .from("192.0.2." + i)
                  .as("erin", "guess-" + i)
                  .send()
                  .status())
          .isEqualTo(401);
    }
    assertThat(
            door.call("GET", "/api/catalog").from("192.0.2.99").as("erin", "guess").send().status())
        .as("a new X-Forwarded-For is no new address")
        .isEqualTo(429);
    assertThat(door.webappLogin("tasklist", "erin", "guess", "192.0.2.98").status()).isEqualTo(429);

    List<String> addresses =
        door
            .call("GET", "/api/audit?action=login.failed&size=100")
            .as("frank")
            .send()
            .json()
            .get("items")
            .findValues("address")
            .stream()
            .map(a -> a.asText())
            .distinct()
            .toList();
    assertThat(addresses).singleElement().asString().isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
  }
}
