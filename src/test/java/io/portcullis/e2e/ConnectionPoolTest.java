package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.support.HttpLoad;
import io.portcullis.support.HttpLoad.Answer;
import io.portcullis.support.HttpLoad.Call;
import io.portcullis.support.LoadPeople;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * No request holds one pooled connection while it waits for another. With a pool of two
 * connections, one such request per connection is enough to stop everything until the pool's
 * timeout (each holds one and waits for the other); so fifty callers at once, creating, reading,
 * listing and approving, must all get their normal answers from a pool of two, and the approved
 * requests must become ACTIVE.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "camunda.bpm.job-execution.enabled=true",
      "spring.datasource.hikari.maximum-pool-size=2",
      "spring.datasource.hikari.minimum-idle=2",
      // a request stuck waiting for a second connection would wait this long, then answer 500
      "spring.datasource.hikari.connection-timeout=20000"
    })
@ActiveProfiles({"demo", "test"})
class ConnectionPoolTest {

  static final int CALLERS = 50;

  @LocalServerPort int port;
  @Autowired InMemoryDirectoryServer directoryServer;
  @Autowired DirectoryProperties directory;
  @Autowired ObjectMapper json;

  @Test
  void fiftyCallersShareAPoolOfTwoConnections() throws Exception {
    List<String> people = LoadPeople.add(directoryServer, directory.peopleDn(), 2 * CALLERS);
    HttpLoad http = new HttpLoad(port);
    // requests to read and to approve during the burst, made before it, one by one
    List<String> waiting = new ArrayList<>();
    for (int i = 0; i < (CALLERS + 3) / 4; i++) {
      Answer created = http.send(create(people.get(i)));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      waiting.add(json.readTree(created.body()).get("id").asText());
    }

    List<Call> calls = new ArrayList<>();
    List<Integer> expected = new ArrayList<>();
    List<String> approved = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      String someone = people.get(i);
      String request = waiting.get(i / 4);
      switch (i % 4) {
        case 0 -> {
          calls.add(create(people.get(CALLERS + i)));
          expected.add(201);
        }
        case 1 -> {
          calls.add(Call.get("bob", "/api/access-requests/" + request));
          expected.add(200);
        }
        case 2 -> {
          calls.add(Call.get(i % 8 == 2 ? someone : "frank", "/api/access-requests?size=50"));
          expected.add(200);
        }
        default -> {
          calls.add(
              Call.post(
                  "bob", "/api/access-requests/" + request + "/approve", "{\"comment\":\"ok\"}"));
          expected.add(200);
          approved.add(request);
        }
      }
    }

    List<Answer> answers = http.burst(calls);

    for (int i = 0; i < answers.size(); i++) {
      Answer a = answers.get(i);
      assertThat(a.status())
          .as("%s %s as %s: %s", a.call().method(), a.call().path(), a.call().user(), a.body())
          .isEqualTo(expected.get(i));
    }
    for (String id : approved) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  json.readTree(http.send(Call.get("bob", "/api/access-requests/" + id)).body())
                      .get("status")
                      .asText(),
              "ACTIVE"::equals);
    }
  }

  private static Call create(String requester) {
    return Call.post(
        requester,
        "/api/access-requests",
        "{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\",\"justification\":\"load test\"}");
  }
}
