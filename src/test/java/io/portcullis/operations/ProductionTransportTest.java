package io.portcullis.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import io.portcullis.PortcullisApplication;
import io.portcullis.support.Door;
import io.portcullis.support.NodeProcess;
import io.portcullis.support.PostgresServer;
import io.portcullis.support.ProductionNode;
import io.portcullis.support.SharedDirectory;
import io.portcullis.support.WebappPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The prod profile as it runs behind a proxy that ends TLS: people reach it at an {@code https://}
 * public URL, and the node itself is spoken to over plain HTTP (here, the test's client; there, the
 * proxy). Every door still tells the browser to use HTTPS only (HSTS), and the webapps' cookies are
 * {@code Secure}.
 */
@Tag("postgres")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionTransportTest {

  static final String HSTS = "max-age=31536000 ; includeSubDomains";

  InMemoryDirectoryServer directory;
  ConfigurableApplicationContext node;
  Door door;

  @BeforeAll
  void startAProductionNode() throws Exception {
    directory = SharedDirectory.start();
    PostgresServer postgres = PostgresServer.get();
    String role = postgres.createRole("portcullis", "not-blank");
    String database = postgres.createDatabase(role);
    int port = NodeProcess.freePort();
    List<String> settings =
        new ArrayList<>(
            ProductionNode.of(
                database, role, "not-blank", directory, "https://portcullis.example.com"));
    settings.add("--server.port=" + port);
    node =
        new SpringApplicationBuilder(PortcullisApplication.class)
            .profiles("prod")
            .run(settings.toArray(String[]::new));
    door = new Door(port);
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (directory != null) {
      directory.shutDown(true);
    }
  }

  @Test
  void everyDoorSendsHsts() {
    List<Door.Answer> answers =
        List.of(
            door.call("GET", "/api/catalog").as("alice").send(),
            door.call("GET", "/api/catalog").send(),
            door.call("GET", "/engine-rest/engine").as("alice").send(),
            door.call("GET", "/scim/v2/Users").send(),
            door.call("GET", WebappPath.DEFAULT + "/app/tasklist/").send(),
            door.call("GET", "/actuator/health/readiness").send(),
            door.call("GET", "/actuator/prometheus").send());
    assertThat(answers)
        .extracting(a -> a.status())
        .containsExactly(200, 401, 200, 401, 302, 200, 401);
    assertThat(answers)
        .allSatisfy(
            answer -> assertThat(answer.header("Strict-Transport-Security")).isEqualTo(HSTS));
  }

  @Test
  void theWebappsCookiesAreSecure() {
    Door.Answer page = door.call("GET", WebappPath.DEFAULT + "/app/tasklist/").send();
    List<String> cookies = page.headers().allValues("Set-Cookie");
    assertThat(cookies)
        .anySatisfy(c -> assertThat(c).startsWith("JSESSIONID="))
        .anySatisfy(c -> assertThat(c).startsWith("XSRF-TOKEN="));
    assertThat(cookies).allSatisfy(c -> assertThat(c).containsPattern(";\\s*Secure"));
  }
}
