package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.portcullis.support.LdapConnections;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A login that succeeded is remembered for {@code portcullis.login.remember-for} (here 2 s): the
 * next calls with the same name and password ask the directory nothing, a wrong password is still
 * refused at once, and a password changed in the directory stops working when the period is over.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "portcullis.login.remember-for=PT2S")
@ActiveProfiles({"demo", "test"})
class RememberedLoginsTest {

  static final String BOB = "uid=bob,ou=people,dc=portcullis,dc=demo";

  @LocalServerPort int port;
  @Autowired InMemoryDirectoryServer directory;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void bobGetsHisPasswordBack() throws Exception {
    directory.modify(BOB, new Modification(ModificationType.REPLACE, "userPassword", "bob-demo"));
  }

  @Test
  void theNextCallsOfAPersonAskTheDirectoryNothing() throws Exception {
    assertThat(catalogAs("bob", "bob-demo")).isEqualTo(200);
    long before = LdapConnections.acceptedSoFar(directory);
    for (int i = 0; i < 20; i++) {
      assertThat(catalogAs("bob", "bob-demo")).isEqualTo(200);
    }
    assertThat(LdapConnections.acceptedSoFar(directory) - before)
        .as("new LDAP connections for 20 logins")
        .isZero();
  }

  @Test
  void aWrongPasswordIsRefusedAlthoughTheRightOneIsRemembered() throws Exception {
    assertThat(catalogAs("bob", "bob-demo")).isEqualTo(200);
    assertThat(catalogAs("bob", "bob-demo ")).isEqualTo(401);
    assertThat(catalogAs("bob", "alice-demo")).isEqualTo(401);
    assertThat(catalogAs("alice", "bob-demo")).isEqualTo(401);
  }

  @Test
  void aPasswordChangedInTheDirectoryEndsWithThePeriod() throws Exception {
    assertThat(catalogAs("bob", "bob-demo")).isEqualTo(200);
    directory.modify(
        BOB, new Modification(ModificationType.REPLACE, "userPassword", "bob-changed"));

    assertThat(catalogAs("bob", "bob-changed"))
        .as("the new password, checked by the directory")
        .isEqualTo(200);
    long changed = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> catalogAs("bob", "bob-demo") == 401);
    Duration stillWorked = Duration.ofNanos(System.nanoTime() - changed);
    assertThat(stillWorked)
        .as("the old password worked this long after the change")
        .isLessThan(Duration.ofSeconds(4));
    assertThat(catalogAs("bob", "bob-changed")).isEqualTo(200);
  }

  private int catalogAs(String name, String password) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    return http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/catalog"))
                .header("Authorization", "Basic " + basic)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
