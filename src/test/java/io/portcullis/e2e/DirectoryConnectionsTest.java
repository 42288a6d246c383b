package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import io.portcullis.support.HttpLoad;
import io.portcullis.support.HttpLoad.Answer;
import io.portcullis.support.HttpLoad.Call;
import io.portcullis.support.LdapConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The directory is off the critical path: once the people of a workload have called once, their next
 * requests (group look-ups, the engine's identity queries, the connector's grants and revokes) open no
 * new LDAP connection; they reuse pooled ones, and a login that succeeded is remembered for
 * {@code portcullis.login.remember-for} (RememberedLoginsTest), so their HTTP Basic logins bind no more
 * (before the login was remembered, each HTTP request opened a connection of its own for its bind).
 * Counted at the directory server itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "camunda.bpm.job-execution.enabled=true")
@ActiveProfiles({"demo", "test"})
class DirectoryConnectionsTest {

  static final String STAGING = "{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\",\"justification\":\"steady state\"}";

  @LocalServerPort int port;
  @Autowired InMemoryDirectoryServer directoryServer;
  @Autowired ObjectMapper json;

  @Test
  void inTheSteadyStateARequestOpensNoConnection() throws Exception {
    HttpLoad http = new HttpLoad(port);
    oneRoundOfWork(http);

    long before = LdapConnections.acceptedSoFar(directoryServer);
    int calls = 0;
    for (int round = 0; round < 5; round++) {
      calls += oneRoundOfWork(http);
    }
    long opened = LdapConnections.acceptedSoFar(directoryServer) - before;
    System.out.printf("LDAP connections opened in the steady state: %d for %d HTTP requests (%.2f per request)%n",
        opened, calls, (double) opened / calls);
    // a pool opens a connection only when more callers use the directory at once than ever before (here
    // the job executor beside a request): before pooling this was six per request, then one (the bind)
    assertThat(opened).as("new LDAP connections for %d HTTP requests", calls).isBetween(0L, 2L);
  }

  /** What people do: ask, read, list, approve, see the grant, revoke and see it gone. */
  private int oneRoundOfWork(HttpLoad http) throws Exception {
    List<Answer> answers = new ArrayList<>();
    Answer created = http.send(Call.post("erin", "/api/access-requests", STAGING));
    answers.add(created);
    String id = json.readTree(created.body()).get("id").asText();
    answers.add(http.send(Call.get("erin", "/api/access-requests/" + id)));
    answers.add(http.send(Call.get("bob", "/api/access-requests?status=PENDING")));
    answers.add(http.send(Call.get("alice", "/api/catalog")));
    answers.add(http.send(Call.post("bob", "/api/access-requests/" + id + "/approve", "{}")));
    int[] polls = {0};
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      polls[0]++;
      return json.readTree(http.send(Call.get("erin", "/api/access-requests/" + id)).body()).get("status").asText();
    }, "ACTIVE"::equals);
    answers.add(http.send(Call.post("erin", "/api/access-requests/" + id + "/revoke", "{\"reason\":\"done\"}")));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      polls[0]++;
      return json.readTree(http.send(Call.get("erin", "/api/access-requests/" + id)).body()).get("status").asText();
    }, "REVOKED"::equals);
    for (Answer a : answers) {
      assertThat(a.status()).as("%s %s: %s", a.call().method(), a.call().path(), a.body()).isBetween(200, 299);
    }
    return answers.size() + polls[0];
  }
}
