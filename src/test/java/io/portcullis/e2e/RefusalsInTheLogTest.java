package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.WebappPath;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A refusal is not an error: input that a rule refuses, whichever door it came in by, and a revoke
 * asked twice leave one INFO line in the log, with the rule in words, and no ERROR or stack trace
 * that an operator would have to read as a fault. A real failure still logs at ERROR with its
 * trace. The engine's own command log is on here at its production level (the test profile turns it
 * off).
 */
// a context of its own: the engine REST API and Tasklist serve the engine started last in this JVM
// (see TasklistStartFormTest)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "portcullis.test.context=refusals-in-the-log",
      "logging.level.org.camunda.bpm.engine.context=info",
      "logging.level.org.camunda.bpm.engine.rest=info"
    })
@ActiveProfiles({"demo", "test"})
@ExtendWith(OutputCaptureExtension.class)
class RefusalsInTheLogTest {

  static final String WEBAPP_ENGINE = WebappPath.DEFAULT + "/api/engine/engine/default";
  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";

  @LocalServerPort int port;
  @Autowired ManagementService management;
  @Autowired RuntimeService runtime;
  @Autowired RepositoryService repository;
  @Autowired ProcessEngineConfigurationImpl engine;
  @Autowired LdapGroupConnector directory;
  Door door;

  @BeforeEach
  void open() {
    door = new Door(port);
  }

  @AfterEach
  void cleanUp() {
    directory.revoke(Username.of("alice"), Target.of(STAGING));
  }

  @Test
  void aStartRefusedThroughTheApiIsOneInfoLine(CapturedOutput output) {
    Answer tooLong =
        logged(
            output,
            () ->
                ask(
                    Map.of(
                        "resource",
                        "staging-db-admin",
                        "duration",
                        "P100D",
                        "justification",
                        "refusal log")),
            "duration: must be at most PT8H for staging-db-admin");
    assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(400);
    Answer unknown =
        logged(
            output,
            () ->
                ask(
                    Map.of(
                        "resource",
                        "root-on-everything",
                        "duration",
                        "PT1H",
                        "justification",
                        "refusal log")),
            "resource: no resource 'root-on-everything' in the catalog");
    assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
  }

  @Test
  void aStartRefusedThroughTheEngineRestApiIsOneInfoLine(CapturedOutput output) {
    Answer tooLong =
        logged(
            output,
            () ->
                door.call("POST", "/engine-rest/process-definition/key/jit-access/submit-form")
                    .as("alice")
                    .json(Map.of("variables", startForm("prod-db-readonly", "PT5H")))
                    .send(),
            "duration: must be at most PT4H for prod-db-readonly");
    assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(400);
  }

  @Test
  void aStartRefusedInTasklistIsOneInfoLine(CapturedOutput output) {
    Answer login = door.webappLogin("tasklist", "alice", Door.demo("alice"));
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    String definition = null;
    for (JsonNode d :
        door.call(
                "GET",
                WEBAPP_ENGINE + "/process-definition?latestVersion=true&startableInTasklist=true")
            .send()
            .json()) {
      if ("jit-access".equals(d.get("key").asText())) {
        definition = d.get("id").asText();
      }
    }
    String tasklist = definition;
    Answer unknown =
        logged(
            output,
            () ->
                door.call(
                        "POST", WEBAPP_ENGINE + "/process-definition/" + tasklist + "/submit-form")
                    .header("X-XSRF-TOKEN", door.xsrfToken())
                    .json(Map.of("variables", startForm("root-on-everything", "PT1H")))
                    .send(),
            "resource: no resource 'root-on-everything' in the catalog");
    assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
  }

  @Test
  void aRevokeAskedTwiceIsAConflictNotAnError(CapturedOutput output) {
    Answer asked =
        ask(
            Map.of(
                "resource",
                "staging-db-admin",
                "duration",
                "PT1H",
                "justification",
                "revoke twice"));
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    String id = asked.json().get("id").asText();
    Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of())
            .send();
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    String instance =
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).singleResult().getId();
    // the job executor is off in tests: the grant's jobs (standing access and the clock, then the
    // grant), each in turn until only the expiry's timer waits
    for (Job next = executable(instance); next != null; next = executable(instance)) {
      management.executeJob(next.getId());
    }
    Answer revoked =
        door.call("POST", "/api/access-requests/" + id + "/revoke")
            .as("alice")
            .json(Map.of("reason", "done"))
            .send();
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(202);

    Answer again =
        logged(
            output,
            () ->
                door.call("POST", "/api/access-requests/" + id + "/revoke")
                    .as("alice")
                    .json(Map.of("reason", "done, again"))
                    .send(),
            "409");
    assertThat(again.status()).as(again.body()).isEqualTo(409);
  }

  /**
   * A step that fails for a reason of its own is an error, logged with its trace: refusals are not
   * all that is quiet now.
   */
  @Test
  void aRealFailureIsStillAnErrorWithItsTrace(CapturedOutput output) {
    engine.getBeans().put("brokenTestStep", new BrokenStep());
    repository
        .createDeployment()
        .addModelInstance(
            "broken-test.bpmn",
            Bpmn.createExecutableProcess("brokenTest")
                .camundaHistoryTimeToLive(1)
                .startEvent("startEvent_started")
                .serviceTask("serviceTask_broken")
                .camundaExpression("${brokenTestStep.run()}")
                .endEvent("endEvent_done")
                .done())
        .deploy();
    int from = output.length();
    Answer failed =
        door.call("POST", "/engine-rest/process-definition/key/brokenTest/start")
            .as("dave")
            .json(Map.of())
            .send();
    assertThat(failed.status()).as(failed.body()).isEqualTo(500);
    String logged = output.toString().substring(from);
    assertThat(logged)
        .satisfies(at("ERROR"))
        .contains("the target system is on fire")
        .satisfies(RefusalsInTheLogTest::aTrace);
  }

  /**
   * Runs a call that a rule refuses; the log it leaves is one INFO line naming the rule, no ERROR
   * and no stack trace.
   */
  private static Answer logged(CapturedOutput output, Supplier<Answer> call, String rule) {
    int from = output.length();
    Answer answer = call.get();
    String logged = output.toString().substring(from);
    assertThat(logged)
        .as("the log of a refusal")
        .doesNotContain(" ERROR ")
        .doesNotContain("\"level\":\"ERROR\"")
        .doesNotContain(" WARN ")
        .doesNotContain("\"level\":\"WARN\"")
        .doesNotContain("\tat ")
        .doesNotContain("\\tat ")
        .doesNotContain("Exception");
    List<String> lines = logged.lines().filter(line -> line.contains(rule)).toList();
    assertThat(lines).as("the refusal's line in:\n" + logged).singleElement().satisfies(at("INFO"));
    return answer;
  }

  /**
   * A log line at this level, in either of the console's formats: the plain pattern, or the JSON
   * lines that a context of the prod profile started earlier in this JVM may have left the logging
   * system with.
   */
  private static Consumer<String> at(String level) {
    return line -> assertThat(line).containsAnyOf(" " + level + " ", "\"level\":\"" + level + "\"");
  }

  /** A stack trace, in either format (JSON escapes the tab). */
  private static void aTrace(String logged) {
    assertThat(logged).containsAnyOf("\tat ", "\\tat ");
  }

  private Answer ask(Map<String, String> body) {
    return door.call("POST", "/api/access-requests").as("alice").json(body).send();
  }

  private static Map<String, Object> startForm(String resource, String duration) {
    return Map.of(
        "resource",
        Map.of("value", resource),
        "duration",
        Map.of("value", duration),
        "justification",
        Map.of("value", "refusal log"));
  }

  /** A model bean whose call fails, as a step whose target is down does. */
  public static class BrokenStep {
    public Object run() {
      throw new IllegalStateException("the target system is on fire");
    }
  }

  private Job executable(String instance) {
    return management.createJobQuery().processInstanceId(instance).executable().singleResult();
  }
}
