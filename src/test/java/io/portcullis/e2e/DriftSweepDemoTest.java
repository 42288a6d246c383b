package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.support.LdapNameBuilder;
import org.springframework.test.context.ActiveProfiles;

/**
 * The "done means" on the demo profile's own catalog (the demo profile after the test
 * profile, so that its {@code prod-db-readonly} with {@code on-drift: remove} wins): a member added
 * by hand with the LDAP API is removed by the next sweep, whether an admin asks for it through the
 * API or the timer falls due (the engine clock moved past the interval), and the audit trail says
 * why. The job executor is off, as in every test: the test runs the sweep's jobs.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.ldap.embedded.port=0", "portcullis.drift.interval=PT15M"})
@ActiveProfiles({"test", "demo"})
// tests turn metrics export off by default: the sweep's counters are read from Prometheus here
@AutoConfigureObservability(tracing = false)
class DriftSweepDemoTest {

  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";
  static final String ALICE = "uid=alice,ou=people,dc=portcullis,dc=demo";

  @LocalServerPort int port;
  @Autowired LdapTemplate ldap;
  @Autowired RuntimeService runtime;
  @Autowired ManagementService management;
  Door door;

  @BeforeEach
  void setUp() {
    door = new Door(port);
  }

  @AfterEach
  void cleanUp() {
    ClockUtil.reset();
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey("drift-sweep")
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    if (members().contains(ALICE)) {
      modify(DirContext.REMOVE_ATTRIBUTE);
    }
  }

  @Test
  void anAdminsSweepRemovesAMemberAddedByHandAndTheTrailSaysWhy() {
    modify(DirContext.ADD_ATTRIBUTE);
    assertThat(members()).contains(ALICE);

    Door.Answer started = door.call("POST", "/api/drift-sweeps").json(Map.of()).as("dave").send();
    assertThat(started.status()).isEqualTo(202);
    String location = started.header("Location");
    assertThat(location).isEqualTo("/api/drift-sweeps/" + started.json().get("id").asText());
    assertThat(started.json().get("state").asText()).isEqualTo("running");
    assertThat(door.call("POST", "/api/drift-sweeps").json(Map.of()).as("dave").send().status())
        .as("a second sweep while one runs")
        .isEqualTo(409);

    runSweepJobs();

    assertThat(members()).doesNotContain(ALICE);
    JsonNode report = door.call("GET", location).as("dave").send().json();
    assertThat(report.get("state").asText()).isEqualTo("finished");
    assertThat(report.get("startedBy").asText()).isEqualTo("dave");
    JsonNode prodDb = resource(report, "prod-db-readonly");
    assertThat(prodDb.get("holders").asInt()).isPositive();
    assertThat(prodDb.get("findings"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.get("person").asText()).isEqualTo("alice");
              assertThat(f.get("action").asText()).isEqualTo("removed");
            });
    assertThat(trail()).contains("access.drift-found", "access.drift-removed");
    assertThat(door.call("GET", "/actuator/prometheus").as("dave").send().body())
        .containsPattern(
            "portcullis_drift_found_total\\{[^}]*outcome=\"remove\",resource=\"prod-db-readonly\"\\} [1-9]")
        .containsPattern(
            "portcullis_drift_removed_total\\{[^}]*outcome=\"remove\",resource=\"prod-db-readonly\"\\} [1-9]");
    assertThat(door.call("GET", "/api/drift-sweeps?size=5").as("frank").send().json().get("items"))
        .isNotEmpty();
  }

  @Test
  void theTimersSweepRemovesItWithinOneInterval() {
    modify(DirContext.ADD_ATTRIBUTE);

    ClockUtil.setCurrentTime(
        Date.from(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofMinutes(16))));
    List<Job> due =
        management
            .createJobQuery()
            .processDefinitionKey("drift-sweep")
            .timers()
            .executable()
            .list();
    assertThat(due).hasSize(1);
    management.executeJob(due.get(0).getId());
    runSweepJobs();

    assertThat(members()).doesNotContain(ALICE);
    JsonNode latest =
        door.call("GET", "/api/drift-sweeps?size=1").as("dave").send().json().get("items").get(0);
    assertThat(latest.get("startedBy").asText()).isEqualTo("drift-sweep");
    assertThat(latest.get("state").asText()).isEqualTo("finished");
  }

  @Test
  void onlyAdminsStartASweepAndNobodyUnknownReadsOne() {
    assertThat(door.call("POST", "/api/drift-sweeps").json(Map.of()).send().status())
        .isEqualTo(401);
    assertThat(door.call("POST", "/api/drift-sweeps").json(Map.of()).as("alice").send().status())
        .isEqualTo(403);
    assertThat(door.call("POST", "/api/drift-sweeps").json(Map.of()).as("frank").send().status())
        .isEqualTo(403);
    assertThat(door.call("GET", "/api/drift-sweeps").send().status()).isEqualTo(401);
    assertThat(door.call("GET", "/api/drift-sweeps").as("alice").send().status()).isEqualTo(403);
    assertThat(
            door.call("GET", "/api/drift-sweeps/00000000-0000-0000-0000-000000000000")
                .as("dave")
                .send()
                .status())
        .isEqualTo(404);
    assertThat(door.call("GET", "/api/drift-sweeps/not-an-id").as("dave").send().status())
        .isEqualTo(400);
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("drift-sweep").count())
        .isZero();
  }

  private List<String> trail() {
    JsonNode page =
        door.call("GET", "/api/audit?subject=alice&resource=prod-db-readonly&size=50")
            .as("frank")
            .send()
            .json();
    List<String> actions =
        StreamSupport.stream(page.get("items").spliterator(), false)
            .map(e -> e.get("action").asText())
            .toList();
    StreamSupport.stream(page.get("items").spliterator(), false)
        .filter(e -> e.get("action").asText().equals("access.drift-removed"))
        .forEach(
            e ->
                assertThat(e.get("details").toString())
                    .contains("neither a live grant nor the resource's standing list"));
    return actions;
  }

  private static JsonNode resource(JsonNode report, String id) {
    return StreamSupport.stream(report.get("resources").spliterator(), false)
        .filter(r -> r.get("resource").asText().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private void runSweepJobs() {
    for (int i = 0; i < 50; i++) {
      List<Job> due =
          management
              .createJobQuery()
              .processDefinitionKey("drift-sweep")
              .executable()
              .list()
              .stream()
              .filter(j -> j.getProcessInstanceId() != null)
              .toList();
      if (due.isEmpty()) {
        return;
      }
      management.executeJob(due.get(0).getId());
    }
  }

  private List<String> members() {
    return ldap.lookup(
        LdapNameBuilder.newInstance(PROD_DB).build(),
        (AttributesMapper<List<String>>)
            attributes -> {
              List<String> all = new ArrayList<>();
              var member = attributes.get("member");
              for (int i = 0; member != null && i < member.size(); i++) {
                all.add(((String) member.get(i)).toLowerCase(Locale.ROOT));
              }
              return all;
            });
  }

  /** By hand, with the LDAP API, as an administrator of the directory would. */
  private void modify(int operation) {
    ldap.modifyAttributes(
        LdapNameBuilder.newInstance(PROD_DB).build(),
        new ModificationItem[] {
          new ModificationItem(operation, new BasicAttribute("member", ALICE))
        });
  }
}
