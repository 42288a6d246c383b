package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.WebappPath;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 24, finding 13: every user read every user's instance and incident counts. Statistics,
 * reports and metrics span every person's instances, so they are for admins (security/EngineDoors),
 * at the engine's REST API and at the webapps' engine API; Cockpit's and Admin's own plugin APIs
 * are for who may open Cockpit or Admin (security/WebappPluginApis). Counts a user may ask for
 * count only what they may read. alice asks with HTTP Basic, and from a Tasklist session with its
 * XSRF token.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "portcullis.test.context=statistics-doors")
@ActiveProfiles({"demo", "test"})
class StatisticsDoorsTest {

  static final String WEBAPP_ENGINE = WebappPath.DEFAULT + "/api/engine/engine/default";
  static final String COCKPIT = WebappPath.DEFAULT + "/api/cockpit/plugin/base/default";

  @LocalServerPort int port;
  @Autowired RuntimeService runtime;
  Door door;
  String definition;

  @BeforeEach
  void erinAsksTwiceAndOneStepFails() {
    door = new Door(port);
    for (int i = 0; i < 2; i++) {
      Answer created =
          door.call("POST", "/api/access-requests")
              .as("erin")
              .json(
                  Map.of(
                      "resource",
                      "staging-db-admin",
                      "duration",
                      "PT1H",
                      "justification",
                      "statistics " + i))
              .send();
      assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
    ProcessInstance erins =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey("jit-access")
            .listPage(0, 1)
            .get(0);
    runtime.createIncident(
        "statisticsTest",
        runtime
            .createExecutionQuery()
            .processInstanceId(erins.getId())
            .activityId(ApprovalProcess.TASK_APPROVE)
            .singleResult()
            .getId(),
        "statistics",
        "a step of erin's failed");
    definition = erins.getProcessDefinitionId();
  }

  @Test
  void statisticsReportsAndMetricsAreForAdminsAtTheEngineRestApi() {
    for (String path : statistics()) {
      Answer answer = door.call("GET", "/engine-rest" + path).as("alice").send();
      assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(403);
      assertThat(answer.body())
          .as(path)
          .doesNotContain("\"instances\":")
          .doesNotContain("\"incidents\":")
          .doesNotContain("\"result\":");
    }
    JsonNode refused =
        door.call("GET", "/api/audit?action=action.refused&actor=alice&size=200")
            .as("frank")
            .send()
            .json();
    assertThat(refused.get("items").findValuesAsText("attempted"))
        .contains(
            "ProcessDefinitionStatisticsQueryImpl",
            "ActivityStatisticsQueryImpl",
            "HistoricActivityStatisticsQueryImpl");

    // what she may count, she counts: none of erin's instances, incidents or tasks
    for (String count :
        List.of(
            "/process-instance/count",
            "/incident/count",
            "/task/count",
            "/history/process-instance/count",
            "/execution/count",
            "/job/count")) {
      Answer answer = door.call("GET", "/engine-rest" + count).as("alice").send();
      assertThat(answer.status()).as(count).isEqualTo(200);
      assertThat(answer.json().get("count").asLong()).as(count).isZero();
    }

    Answer forDave =
        door.call("GET", "/engine-rest/process-definition/statistics?incidents=true")
            .as("dave")
            .send();
    assertThat(forDave.status()).isEqualTo(200);
    JsonNode jitAccess =
        forDave.json().findParents("id").stream()
            .filter(d -> definition.equals(d.get("id").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(jitAccess.get("instances").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(jitAccess.get("incidents").findValuesAsText("incidentType"))
        .contains("statisticsTest");
    assertThat(
            door.call("GET", "/engine-rest/metrics/activity-instance-start/sum")
                .as("dave")
                .send()
                .status())
        .isEqualTo(200);
  }

  @Test
  void fromATasklistSessionNeitherTheEngineApiNorCockpitsPluginsCount() {
    assertThat(door.webappLogin("tasklist", "alice", Door.demo("alice")).status()).isEqualTo(200);
    assertThat(door.call("GET", WEBAPP_ENGINE + "/task/count").send().status())
        .as("Tasklist's own calls")
        .isEqualTo(200);

    for (String path : statistics()) {
      Answer answer = door.call("GET", WEBAPP_ENGINE + path).send();
      assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(403);
    }
    List<String> plugins =
        List.of(
            COCKPIT + "/process-definition/statistics",
            COCKPIT + "/process-definition/statistics-count",
            COCKPIT + "/process-instance/count",
            COCKPIT + "/process-instance?processDefinitionId=" + definition,
            COCKPIT + "/incident/count",
            COCKPIT + "/incident",
            COCKPIT + "/process-definition/" + definition + "/called-process-definitions",
            WebappPath.DEFAULT
                + "/api/admin/plugin/adminPlugins/default/metrics/aggregated?subscriptionStartDate=2020-01-01T00:00:00.000%2B0000&groupBy=month");
    for (String path : plugins) {
      Answer answer = door.call("GET", path).send();
      assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(403);
      assertThat(answer.body())
          .as(path)
          .doesNotContain("\"instances\":")
          .doesNotContain("\"count\":");
    }
    Answer counted =
        door.call("POST", COCKPIT + "/process-instance/count")
            .header("X-XSRF-TOKEN", door.xsrfToken())
            .json(Map.of())
            .send();
    assertThat(counted.status()).as(counted.body()).isEqualTo(403);
    JsonNode refused =
        door.call("GET", "/api/audit?action=action.refused&actor=alice&size=200")
            .as("frank")
            .send()
            .json();
    assertThat(refused.get("items").findValuesAsText("door")).contains("webapp");
  }

  @Test
  void anAdminInCockpitStillSeesEveryInstance() {
    Door cockpit = new Door(port);
    assertThat(cockpit.webappLogin("cockpit", "dave", Door.demo("dave")).status()).isEqualTo(200);
    Answer statistics = cockpit.call("GET", COCKPIT + "/process-definition/statistics").send();
    assertThat(statistics.status()).as(statistics.body()).isEqualTo(200);
    JsonNode jitAccess =
        statistics.json().findParents("id").stream()
            .filter(d -> definition.equals(d.get("id").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(jitAccess.get("instances").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(jitAccess.get("incidents").asInt()).isPositive();
    assertThat(
            cockpit
                .call("GET", WEBAPP_ENGINE + "/process-definition/" + definition + "/statistics")
                .send()
                .status())
        .isEqualTo(200);
  }

  /**
   * Every statistics, report and metrics endpoint of the engine's REST API that reads across
   * instances.
   */
  private List<String> statistics() {
    return List.of(
        "/process-definition/statistics?incidents=true&failedJobs=true",
        "/process-definition/statistics?rootIncidents=true",
        "/process-definition/" + definition + "/statistics?incidents=true&failedJobs=true",
        "/process-definition/key/jit-access/statistics?incidents=true",
        "/history/process-definition/" + definition + "/statistics",
        "/metrics/activity-instance-start/sum",
        "/metrics/root-process-instance-start/sum",
        "/metrics?interval=900",
        "/metrics/task-users/sum",
        "/batch/statistics",
        "/task/report/candidate-group-count",
        "/history/task/report?reportType=count&groupBy=processDefinition",
        "/history/process-instance/report?reportType=duration&periodUnit=month");
  }
}
