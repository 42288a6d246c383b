package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import io.portcullis.support.WebappPath;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * With the webapps off, their engine API is not there either: Portcullis' own registration of it
 * (security/WebappEngineApi) would otherwise be an engine API without the webapps' login in front.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "camunda.bpm.webapp.enabled=false")
@ActiveProfiles({"demo", "test"})
class WebappsOffTest {

  @LocalServerPort int port;

  @Test
  void noEngineApiWithoutTheWebapps() {
    Door door = new Door(port);
    Door.Answer definitions =
        door.call("GET", WebappPath.DEFAULT + "/api/engine/engine/default/process-definition")
            .send();
    assertThat(definitions.status()).as(definitions.body()).isEqualTo(404);
    assertThat(definitions.body()).doesNotContain("jit-access");
  }
}
