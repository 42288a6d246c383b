package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import io.portcullis.PortcullisApplication;
import io.portcullis.support.HangingDirectory;
import io.portcullis.support.NodeProcess;
import io.portcullis.support.SharedDirectory;
import io.portcullis.support.WebappPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The directory as production has it: two copies of it (spring.ldap.urls names both, as for a
 * primary and a replica), outside the node, each of which can hang or stop.
 *
 * <ul>
 *   <li>Readiness asks the directory for real (issue 25, finding 6): when every copy hangs (accepts
 *       connections, never answers), readiness is DOWN within the read timeout for each, instead of
 *       UP from a pooled connection that answers without asking the server; and UP again once they
 *       answer.
 *   <li>A login while the directory hangs is a 503 problem detail, not a 500.
 *   <li>Every URL serves logins (issue 25, finding 8): with the first copy stopped, people still
 *       log in through the second, at every door, as the connectors already failed over.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryOutageTest {

  /** Short, so that the test is quick; the default is 10 s. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

  /** How long a readiness result is reused (directory.DirectoryHealth). */
  static final Duration REUSE_FOR = Duration.ofSeconds(1);

  /**
   * The slack a loaded machine needs beyond the timeouts: starting threads, a GC, the HTTP round
   * trip.
   */
  static final Duration MARGIN = Duration.ofSeconds(5);

  final HangingDirectory firstHangs = new HangingDirectory();
  final HangingDirectory secondHangs = new HangingDirectory();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();
  InMemoryDirectoryServer first;
  InMemoryDirectoryServer second;
  ConfigurableApplicationContext node;
  String url;

  @BeforeAll
  void startTwoDirectoriesAndANode() throws Exception {
    first = SharedDirectory.start(firstHangs);
    second = SharedDirectory.start(secondHangs);
    List<String> settings = new ArrayList<>(SharedDirectory.settings(first, second));
    int port = NodeProcess.freePort();
    url = "http://127.0.0.1:" + port;
    settings.addAll(
        List.of(
            "--server.port=" + port,
            "--spring.main.banner-mode=off",
            "--portcullis.directory.read-timeout=" + READ_TIMEOUT,
            "--portcullis.directory.connect-timeout=PT1S",
            // every login asks the directory: none is remembered from an earlier one
            "--portcullis.login.remember-for=PT0S"));
    node =
        new SpringApplicationBuilder(PortcullisApplication.class)
            .profiles("demo", "test")
            .run(settings.toArray(String[]::new));
  }

  @AfterEach
  void answerAgain() {
    firstHangs.resume();
    secondHangs.resume();
  }

  @AfterAll
  void stopEverything() {
    if (node != null) {
      node.close();
    }
    for (InMemoryDirectoryServer directory : new InMemoryDirectoryServer[] {first, second}) {
      if (directory != null) {
        directory.shutDown(true);
      }
    }
  }

  @Test
  @Order(0)
  void aNodeGivenItsDirectoryStartsNoEmbeddedOne() {
    // spring.autoconfigure.exclude on the command line replaces any list of exclusions in a
    // settings file:
    // Spring Boot's open embedded LDAP stays out all the same (demo.BootEmbeddedDirectoryLeftOut)
    assertThat(node.getBeansOfType(InMemoryDirectoryServer.class)).isEmpty();
  }

  @Test
  @Order(1)
  void readinessIsDownWhileTheDirectoryHangs_andUpWhenItAnswersAgain() throws Exception {
    assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    // people have used the directory: the node holds pooled connections to it
    assertThat(get("/api/catalog", "alice").statusCode()).isEqualTo(200);

    firstHangs.hang();
    secondHangs.hang();
    long started = System.nanoTime();
    // a result is reused for a second, so a flood of health calls does not flood the directory
    await()
        .atMost(REUSE_FOR.plus(READ_TIMEOUT.multipliedBy(2)).plus(MARGIN))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get("/actuator/health/readiness", null).statusCode() == 503);
    System.out.printf(
        "readiness DOWN %d ms after both copies of the directory began to hang%n",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    HttpResponse<String> readiness = get("/actuator/health/readiness", null);
    assertThat(json.readTree(readiness.body()).get("status").asText()).isEqualTo("DOWN");
    // which part is down (an admin sees it over HTTP, but no admin can log in while the directory
    // hangs)
    HealthEndpoint health = node.getBean(HealthEndpoint.class);
    assertThat(health.healthForPath("readiness", "ldap").getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.healthForPath("readiness", "db").getStatus()).isEqualTo(Status.UP);

    firstHangs.resume();
    secondHangs.resume();
    await()
        .atMost(MARGIN)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> get("/actuator/health/readiness", null).statusCode() == 200);
  }

  @Test
  @Order(2)
  void aLoginWhileTheDirectoryHangs_isA503ProblemDetail_notA500() throws Exception {
    firstHangs.hang();
    secondHangs.hang();
    for (String path : new String[] {"/api/catalog", "/engine-rest/task/count"}) {
      HttpResponse<String> answer = get(path, "bob");
      assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(answer.headers().firstValue("Retry-After")).isPresent();
    }
    HttpResponse<String> webapp =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        url + WebappPath.DEFAULT + "/api/admin/auth/user/default/login/tasklist"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=bob&password=bob-demo"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(webapp.statusCode()).as("the webapps' login form").isEqualTo(503);

    firstHangs.resume();
    secondHangs.resume();
    assertThat(get("/api/catalog", "bob").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void withTheFirstDirectoryStopped_peopleLogInThroughTheSecond() throws Exception {
    first.shutDown(true);
    // a pooled connection to the stopped directory may still be handed out until the JDK's pool
    // has seen it close (its reader thread notices asynchronously): that one login is a 503 ("try
    // again shortly"), never a 401 or a 500; the next goes through the second directory
    await()
        .atMost(MARGIN)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              HttpResponse<String> answer = get("/api/catalog", "carol");
              assertThat(answer.statusCode()).as("carol: " + answer.body()).isIn(200, 503);
              assertThat(answer.statusCode()).isEqualTo(200);
            });
    for (String person : new String[] {"carol", "alice", "dave"}) {
      HttpResponse<String> catalog = get("/api/catalog", person);
      assertThat(catalog.statusCode()).as(person + ": " + catalog.body()).isEqualTo(200);
    }
    // the groups come through too: dave is an admin, carol is not
    assertThat(get("/engine-rest/group?member=dave", "dave").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/metrics", "dave").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/metrics", "carol").statusCode()).isEqualTo(403);
    assertThat(get("/api/catalog", "carol", "wrong").statusCode()).isEqualTo(401);
    assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
  }

  HttpResponse<String> get(String path, String person) throws Exception {
    return get(path, person, person + "-demo");
  }

  HttpResponse<String> get(String path, String person, String password) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60));
    if (person != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((person + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
