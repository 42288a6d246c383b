package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A process owner changes a process, a policy or a form while Portcullis runs, the way Camunda Modeler
 * deploys: a multipart {@code POST /engine-rest/deployment/create} with HTTP Basic. An admin's
 * deployment takes effect and is in the audit trail (who, which deployment, which resources, never their
 * contents); a requester's is refused and deploys nothing.
 *
 * <p>A context of its own (the property names nothing): the engine's REST API finds its engine in
 * Camunda's static registry, where the last engine started is "default", so a context taken from the
 * cache after another one started would send these calls to the other context's engine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "portcullis.test.context=deployments")
@ActiveProfiles({"demo", "test"})
class DeploymentsThroughTheDoorTest {

  static final String DECISION = "deploymentCheck";

  @LocalServerPort int port;
  @Autowired RepositoryService repository;
  @Autowired DecisionService decisions;
  @Autowired ProcessEngineConfigurationImpl engine;
  Door door;

  @BeforeEach
  void open() {
    door = new Door(port);
  }

  @Test
  void anAdminDeploysTheProductsOwnProcess_thenItIsTheLatestVersionAndAudited() throws IOException {
    int before = latestVersionOf("jit-access");
    String name = "jit-access-" + UUID.randomUUID();

    Answer answer = deploy("dave", name, Map.of("jit-access.bpmn", Files.readAllBytes(Path.of("processes/jit-access.bpmn"))));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    String id = answer.json().path("id").asText();
    assertThat(answer.json().path("deployedProcessDefinitions").toString()).contains("jit-access:" + (before + 1));
    assertThat(latestVersionOf("jit-access")).isEqualTo(before + 1);
    assertAudited(id, name, "jit-access.bpmn");
  }

  @Test
  void anAdminDeploysADecision_thenTheEngineEvaluatesTheNewVersion() {
    String name = "decision-" + UUID.randomUUID();
    assertThat(deploy("dave", name + "-1", Map.of("deployment-check.dmn", decision("first"))).status()).isEqualTo(200);
    Answer second = deploy("dave", name + "-2", Map.of("deployment-check.dmn", decision("second")));

    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(evaluate()).isEqualTo("second");
    assertAudited(second.json().path("id").asText(), name + "-2", "deployment-check.dmn");
  }

  /**
   * The process owner's change of the approval policy, as Modeler deploys it: staging now needs security
   * after the team lead. The next request follows it; the one already open keeps its single stage.
   */
  @Test
  void anAdminDeploysAChangedApprovalPolicy_thenTheNextRequestFollowsItAndAnOpenOneKeepsItsChain() throws IOException {
    String open = door.call("POST", "/api/access-requests").as("alice")
        .json(Map.of("resource", "staging-db-admin", "duration", "PT1H", "justification", "before the change")).send().json()
        .get("id").asText();
    String shipped = Files.readString(Path.of("processes/approval-policy.dmn"));
    String changed = shipped.replace("<outputEntry id=\"output_stagingNeedsTeamLead_escalation\"><text>\"portcullis-admins\"</text></outputEntry>\n      </rule>",
        "<outputEntry id=\"output_stagingNeedsTeamLead_escalation\"><text>\"portcullis-admins\"</text></outputEntry>\n      </rule>\n"
            + "      <rule id=\"rule_stagingNeedsSecurityToo\"><inputEntry id=\"e1\"><text></text></inputEntry><inputEntry id=\"e2\"><text>\"staging\"</text></inputEntry>"
            + "<inputEntry id=\"e3\"><text></text></inputEntry><inputEntry id=\"e4\"><text></text></inputEntry><inputEntry id=\"e5\"><text></text></inputEntry>"
            + "<inputEntry id=\"e6\"><text></text></inputEntry><outputEntry id=\"o1\"><text>2</text></outputEntry><outputEntry id=\"o2\"><text>\"security\"</text></outputEntry>"
            + "<outputEntry id=\"o3\"><text>1</text></outputEntry><outputEntry id=\"o4\"><text></text></outputEntry><outputEntry id=\"o5\"><text></text></outputEntry>"
            + "<outputEntry id=\"o6\"><text></text></outputEntry></rule>");
    assertThat(changed).isNotEqualTo(shipped);
    int before = repository.createDecisionDefinitionQuery().decisionDefinitionKey("approvalPolicy").latestVersion().singleResult().getVersion();

    Answer deployed = deploy("dave", "approval-policy", Map.of("approval-policy.dmn", changed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
    assertAudited(deployed.json().path("id").asText(), "approval-policy", "approval-policy.dmn");

    JsonNode next = door.call("POST", "/api/access-requests").as("alice")
        .json(Map.of("resource", "staging-db-admin", "duration", "PT1H", "justification", "after the change")).send().json();
    assertThat(next.get("policy").asText()).isEqualTo("approvalPolicy:" + (before + 1));
    assertThat(next.get("stages").findValuesAsText("group")).containsExactly("team-leads", "security");
    JsonNode earlier = door.call("GET", "/api/access-requests/" + open).as("alice").send().json();
    assertThat(earlier.get("policy").asText()).isEqualTo("approvalPolicy:" + before);
    assertThat(earlier.get("stages").findValuesAsText("group")).containsExactly("team-leads");
  }

  @Test
  void anAdminDeploysAForm_thenItIsInTheDeploymentAndAudited() throws IOException {
    String name = "form-" + UUID.randomUUID();

    Answer answer = deploy("dave", name, Map.of("approve-access.form", Files.readAllBytes(Path.of("forms/approve-access.form"))));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    String id = answer.json().path("id").asText();
    assertThat(repository.getDeploymentResourceNames(id)).containsExactly("approve-access.form");
    // the engine's REST answer lists no forms: ask the engine which deployment the latest form is in
    assertThat(latestFormDeployment("approve-access")).isEqualTo(id);
    assertAudited(id, name, "approve-access.form");
  }

  @Test
  void anAdminDeploysSeveralResourcesAtOnce_thenTheAuditNamesEachOfThem() throws IOException {
    String name = "together-" + UUID.randomUUID();

    Answer answer = deploy("dave", name, Map.of("jit-access.bpmn", Files.readAllBytes(Path.of("processes/jit-access.bpmn")),
        "approve-access.form", Files.readAllBytes(Path.of("forms/approve-access.form"))));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertAudited(answer.json().path("id").asText(), name, "approve-access.form, jit-access.bpmn");
  }

  @Test
  void aRequesterDeploysAnything_thenRefusedAndNothingIsDeployed() throws IOException {
    String name = "alice-" + UUID.randomUUID();
    int before = latestVersionOf("jit-access");
    List<Map<String, byte[]>> attempts = List.of(
        Map.of("jit-access.bpmn", Files.readAllBytes(Path.of("processes/jit-access.bpmn"))),
        Map.of("deployment-check.dmn", decision("alice's")),
        Map.of("approve-access.form", Files.readAllBytes(Path.of("forms/approve-access.form"))));

    for (Map<String, byte[]> files : attempts) {
      Answer answer = deploy("alice", name, files);
      assertThat(answer.status()).as(answer.body()).isEqualTo(403);
      assertThat(answer.body()).doesNotContain("Exception:").doesNotContain("\tat ").doesNotContain("io.portcullis");
    }
    assertThat(repository.createDeploymentQuery().deploymentName(name).count()).isZero();
    assertThat(latestVersionOf("jit-access")).isEqualTo(before);
    assertThat(deploymentEvents()).noneMatch(e -> name.equals(e.path("details").path("name").asText()));
  }

  @Test
  void nobodyDeploysWithoutCredentials() throws IOException {
    String name = "anonymous-" + UUID.randomUUID();
    Answer answer = door.call("POST", "/engine-rest/deployment/create")
        .multipart(Map.of("deployment-name", name), Map.of("jit-access.bpmn", Files.readAllBytes(Path.of("processes/jit-access.bpmn"))))
        .send();

    assertThat(answer.status()).isEqualTo(401);
    assertThat(repository.createDeploymentQuery().deploymentName(name).count()).isZero();
  }

  private Answer deploy(String user, String name, Map<String, byte[]> files) {
    return door.call("POST", "/engine-rest/deployment/create").as(user)
        .multipart(Map.of("deployment-name", name, "deploy-changed-only", "true"), files).send();
  }

  private void assertAudited(String deploymentId, String name, String resources) {
    List<JsonNode> events = deploymentEvents().stream()
        .filter(e -> deploymentId.equals(e.path("details").path("deploymentId").asText())).toList();
    assertThat(events).hasSize(1);
    JsonNode event = events.get(0);
    assertThat(event.path("actor").asText()).isEqualTo("dave");
    assertThat(event.path("details").path("name").asText()).isEqualTo(name);
    assertThat(event.path("details").path("resources").asText()).isEqualTo(resources);
    // names, never contents
    assertThat(event.toString()).doesNotContain("<?xml").doesNotContain("bpmn:definitions").doesNotContain("components");
  }

  private List<JsonNode> deploymentEvents() {
    Answer answer = door.call("GET", "/api/audit?action=deployment.created&size=200").as("frank").send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    answer.json().path("items").forEach(events::add);
    return events;
  }

  private int latestVersionOf(String key) {
    return repository.createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult().getVersion();
  }

  private String latestFormDeployment(String key) {
    return engine.getCommandExecutorTxRequired()
        .execute(context -> context.getCamundaFormDefinitionManager().findLatestDefinitionByKey(key).getDeploymentId());
  }

  private String evaluate() {
    return decisions.evaluateDecisionTableByKey(DECISION, Variables.createVariables().putValue("resource", "staging-db-admin"))
        .getSingleResult().getSingleEntry();
  }

  private static byte[] decision(String answer) {
    try (var in = DeploymentsThroughTheDoorTest.class.getResourceAsStream("/deployments/contract-test-policy.dmn")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"VERSION\"", "\"" + answer + "\"")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
