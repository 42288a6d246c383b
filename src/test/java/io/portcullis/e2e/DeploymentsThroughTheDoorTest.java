package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A process owner changes a process, a policy or a form while Portcullis runs, the way Camunda
 * Modeler deploys: a multipart {@code POST /engine-rest/deployment/create} with HTTP Basic. An
 * admin's deployment takes effect and is in the audit trail (who, which deployment, which
 * resources, never their contents); a requester's is refused and deploys nothing.
 *
 * <p>A context of its own (the property names nothing): the engine's REST API finds its engine in
 * Camunda's static registry, where the last engine started is "default", so a context taken from
 * the cache after another one started would send these calls to the other context's engine.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "portcullis.test.context=deployments")
@ActiveProfiles({"demo", "test"})
class DeploymentsThroughTheDoorTest {

  static final String DECISION = "deploymentCheck";
  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";

  @LocalServerPort int port;
  @Autowired RepositoryService repository;
  @Autowired DecisionService decisions;
  @Autowired ProcessEngineConfigurationImpl engine;
  @Autowired RuntimeService runtime;
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
  void anAdminDeploysTheProductsOwnProcess_thenItIsTheLatestVersionAndAudited() throws IOException {
    int before = latestVersionOf("jit-access");
    String name = "jit-access-" + UUID.randomUUID();

    Answer answer =
        deploy(
            "dave",
            name,
            Map.of("jit-access.bpmn", Files.readAllBytes(Path.of("processes/jit-access.bpmn"))));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    String id = answer.json().path("id").asText();
    assertThat(answer.json().path("deployedProcessDefinitions").toString())
        .contains("jit-access:" + (before + 1));
    assertThat(latestVersionOf("jit-access")).isEqualTo(before + 1);
    assertAudited(id, name, "jit-access.bpmn");
    assertDigests(
        id, Map.of("jit-access.bpmn", Files.readAllBytes(Path.of("processes/jit-access.bpmn"))));
  }

  @Test
  void anAdminDeploysADecision_thenTheEngineEvaluatesTheNewVersion() {
    String name = "decision-" + UUID.randomUUID();
    assertThat(
            deploy("dave", name + "-1", Map.of("deployment-check.dmn", decision("first"))).status())
        .isEqualTo(200);
    Answer second = deploy("dave", name + "-2", Map.of("deployment-check.dmn", decision("second")));

    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(evaluate()).isEqualTo("second");
    assertAudited(second.json().path("id").asText(), name + "-2", "deployment-check.dmn");
  }

  /**
   * The process owner's change of the approval policy, as Modeler deploys it: staging now needs
   * security after the team lead. The next request follows it; the one already open keeps its
   * single stage.
   */
  @Test
  void anAdminDeploysAChangedApprovalPolicy_thenTheNextRequestFollowsItAndAnOpenOneKeepsItsChain()
      throws IOException {
    String open =
        door.call("POST", "/api/access-requests")
            .as("alice")
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT1H",
                    "justification",
                    "before the change"))
            .send()
            .json()
            .get("id")
            .asText();
    String shipped = Files.readString(Path.of("processes/approval-policy.dmn"));
    String changed =
        shipped.replace(
            "<outputEntry id=\"output_stagingNeedsTeamLead_breakGlass\"><text></text></outputEntry>\n      </rule>",
            "<outputEntry id=\"output_stagingNeedsTeamLead_breakGlass\"><text></text></outputEntry>\n      </rule>\n"
                + "      <rule id=\"rule_stagingNeedsSecurityToo\"><inputEntry id=\"e1\"><text></text></inputEntry><inputEntry id=\"e2\"><text>\"staging\"</text></inputEntry>"
                + "<inputEntry id=\"e3\"><text></text></inputEntry><inputEntry id=\"e4\"><text></text></inputEntry><inputEntry id=\"e5\"><text></text></inputEntry>"
                + "<inputEntry id=\"e6\"><text></text></inputEntry><outputEntry id=\"o1\"><text>2</text></outputEntry><outputEntry id=\"o2\"><text>\"security\"</text></outputEntry>"
                + "<outputEntry id=\"o3\"><text>1</text></outputEntry><outputEntry id=\"o4\"><text></text></outputEntry><outputEntry id=\"o5\"><text></text></outputEntry>"
                + "<outputEntry id=\"o6\"><text></text></outputEntry><outputEntry id=\"o7\"><text></text></outputEntry></rule>");
    assertThat(changed).isNotEqualTo(shipped);
    int before =
        repository
            .createDecisionDefinitionQuery()
            .decisionDefinitionKey("approvalPolicy")
            .latestVersion()
            .singleResult()
            .getVersion();

    Answer deployed =
        deploy(
            "dave",
            "approval-policy",
            Map.of("approval-policy.dmn", changed.getBytes(StandardCharsets.UTF_8)));
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
    assertAudited(deployed.json().path("id").asText(), "approval-policy", "approval-policy.dmn");

    JsonNode next =
        door.call("POST", "/api/access-requests")
            .as("alice")
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT1H",
                    "justification",
                    "after the change"))
            .send()
            .json();
    assertThat(next.get("policy").asText()).isEqualTo("approvalPolicy:" + (before + 1));
    assertThat(next.get("stages").findValuesAsText("group"))
        .containsExactly("team-leads", "security");
    JsonNode earlier = door.call("GET", "/api/access-requests/" + open).as("alice").send().json();
    assertThat(earlier.get("policy").asText()).isEqualTo("approvalPolicy:" + before);
    assertThat(earlier.get("stages").findValuesAsText("group")).containsExactly("team-leads");
  }

  @Test
  void anAdminDeploysAForm_thenItIsInTheDeploymentAndAudited() throws IOException {
    String name = "form-" + UUID.randomUUID();

    Answer answer =
        deploy(
            "dave",
            name,
            Map.of(
                "approve-access.form", Files.readAllBytes(Path.of("forms/approve-access.form"))));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    String id = answer.json().path("id").asText();
    assertThat(repository.getDeploymentResourceNames(id)).containsExactly("approve-access.form");
    // the engine's REST answer lists no forms: ask the engine which deployment the latest form is
    // in
    assertThat(latestFormDeployment("approve-access")).isEqualTo(id);
    assertAudited(id, name, "approve-access.form");
  }

  @Test
  void anAdminDeploysSeveralResourcesAtOnce_thenTheAuditNamesEachOfThem() throws IOException {
    String name = "together-" + UUID.randomUUID();

    Answer answer =
        deploy(
            "dave",
            name,
            Map.of(
                "jit-access.bpmn",
                Files.readAllBytes(Path.of("processes/jit-access.bpmn")),
                "approve-access.form",
                Files.readAllBytes(Path.of("forms/approve-access.form"))));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertAudited(answer.json().path("id").asText(), name, "approve-access.form, jit-access.bpmn");
    assertDigests(
        answer.json().path("id").asText(),
        Map.of(
            "jit-access.bpmn",
            Files.readAllBytes(Path.of("processes/jit-access.bpmn")),
            "approve-access.form",
            Files.readAllBytes(Path.of("forms/approve-access.form"))));
  }

  /**
   * Issue 24, finding 4: an admin's five-line model called the connector registry and granted a
   * permanent membership with no request. A deployed model reaches only the beans the product's own
   * models name (security/ModelReach): not the connectors, the audit keys or the data source, not
   * through {@code execution}, not through a script or a Java class. Each attempt deploys (or is
   * refused at deploy), and its start fails without an instance or an effect.
   */
  @Test
  void anAdminsModelReachesNothingButTheModelBeans() {
    Map<String, String> attempts = new LinkedHashMap<>();
    attempts.put(
        "connectors", "${connectors.named('ldap-group').grant('alice', '" + STAGING + "')}");
    attempts.put("auditKeys", "${auditKeys.hashCode()}");
    attempts.put("dataSource", "${dataSource.hashCode()}");
    attempts.put(
        "engineOfExecution",
        "${execution.processEngine.processEngineConfiguration.dataSource != null}");
    attempts.put(
        "servicesOfExecution", "${execution.processEngineServices.identityService != null}");
    attempts.put("classOfText", "${''.getClass().name}");
    attempts.put("beanOfAModel", "${requestLifecycle.getClass().classLoader != null}");
    for (Map.Entry<String, String> attempt : attempts.entrySet()) {
      String key = "reach-" + attempt.getKey().toLowerCase(Locale.ROOT);
      BpmnModelInstance model =
          Bpmn.createExecutableProcess(key)
              .camundaHistoryTimeToLive(1)
              .startEvent("startEvent_started")
              .serviceTask("serviceTask_reach")
              .camundaExpression(attempt.getValue())
              .camundaResultVariable("reached")
              .receiveTask("receiveTask_wait")
              .endEvent("endEvent_done")
              .done();
      assertReachesNothing(
          key, Map.of(key + ".bpmn", Bpmn.convertToString(model).getBytes(StandardCharsets.UTF_8)));
    }
    // a script, in the one language the engine would run without a script engine on the class path
    BpmnModelInstance script =
        Bpmn.createExecutableProcess("reach-script")
            .camundaHistoryTimeToLive(1)
            .startEvent("startEvent_started")
            .scriptTask("scriptTask_reach")
            .scriptFormat("juel")
            .scriptText("${execution.processEngine.name}")
            .camundaResultVariable("reached")
            .receiveTask("receiveTask_wait")
            .endEvent("endEvent_done")
            .done();
    assertReachesNothing(
        "reach-script",
        Map.of("reach-script.bpmn", Bpmn.convertToString(script).getBytes(StandardCharsets.UTF_8)));
    assertThat(directory.holds(Username.of("alice"), Target.of(STAGING)))
        .as("no membership came from a model")
        .isFalse();
  }

  @Test
  void anAdminsModelRunsNoProgramAndMakesNoJavaClass() {
    String shell =
        """
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                     targetNamespace="https://portcullis.io/tests">
          <process id="reach-shell" isExecutable="true" camunda:historyTimeToLive="1">
            <startEvent id="startEvent_started"/>
            <sequenceFlow id="flow_1" sourceRef="startEvent_started" targetRef="serviceTask_shell"/>
            <serviceTask id="serviceTask_shell" camunda:type="shell">
              <extensionElements>
                <camunda:field name="command" stringValue="echo"/>
                <camunda:field name="arg1" stringValue="reached"/>
                <camunda:field name="wait" stringValue="true"/>
                <camunda:field name="outputVariable" stringValue="reached"/>
              </extensionElements>
            </serviceTask>
            <sequenceFlow id="flow_2" sourceRef="serviceTask_shell" targetRef="receiveTask_wait"/>
            <receiveTask id="receiveTask_wait"/>
          </process>
        </definitions>
        """;
    assertReachesNothing(
        "reach-shell", Map.of("reach-shell.bpmn", shell.getBytes(StandardCharsets.UTF_8)));
    BpmnModelInstance javaClass =
        Bpmn.createExecutableProcess("reach-class")
            .camundaHistoryTimeToLive(1)
            .startEvent("startEvent_started")
            .serviceTask("serviceTask_class")
            .camundaClass(ReachedByClass.class.getName())
            .receiveTask("receiveTask_wait")
            .endEvent("endEvent_done")
            .done();
    assertReachesNothing(
        "reach-class",
        Map.of(
            "reach-class.bpmn", Bpmn.convertToString(javaClass).getBytes(StandardCharsets.UTF_8)));
    assertThat(ReachedByClass.made).as("no instance of a class named by a model").isZero();
  }

  @Test
  void anAdminsDecisionReachesNoBean() {
    String dmn =
        """
        <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="definitions_reach" name="Reach"
                     namespace="https://portcullis.io/tests" xmlns:camunda="http://camunda.org/schema/1.0/dmn">
          <decision id="reachDecision" name="Reach" camunda:historyTimeToLive="P1D">
            <decisionTable id="decisionTable_reach" hitPolicy="FIRST">
              <input id="input_any" label="Any"><inputExpression id="inputExpression_any" typeRef="string"><text>"x"</text></inputExpression></input>
              <output id="output_reached" label="Reached" name="reached" typeRef="string" />
              <rule id="rule_any">
                <inputEntry id="inputEntry_any"><text></text></inputEntry>
                <outputEntry id="outputEntry_any" expressionLanguage="juel"><text>${dataSource.hashCode()}</text></outputEntry>
              </rule>
            </decisionTable>
          </decision>
        </definitions>
        """;
    Answer deployed =
        deploy(
            "dave",
            "reach-dmn-" + UUID.randomUUID(),
            Map.of("reach.dmn", dmn.getBytes(StandardCharsets.UTF_8)));
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(200);
    Answer evaluated =
        door.call("POST", "/engine-rest/decision-definition/key/reachDecision/evaluate")
            .as("dave")
            .json(Map.of("variables", Map.of()))
            .send();
    assertThat(evaluated.status()).as(evaluated.body()).isNotEqualTo(200);
    assertThat(evaluated.body()).doesNotContain("Hikari").doesNotContain("io.portcullis");
  }

  @Test
  void anAdminDeletesADeployment_thenWhoAndWhatAreAudited() throws IOException {
    String name = "deleted-" + UUID.randomUUID();
    byte[] bpmn =
        Bpmn.convertToString(
                Bpmn.createExecutableProcess("deletedProcess")
                    .camundaHistoryTimeToLive(1)
                    .startEvent("startEvent_started")
                    .userTask("userTask_wait")
                    .endEvent("endEvent_done")
                    .done())
            .getBytes(StandardCharsets.UTF_8);
    Answer deployed = deploy("dave", name, Map.of("deleted.bpmn", bpmn));
    String id = deployed.json().path("id").asText();
    assertThat(
            door.call("POST", "/engine-rest/process-definition/key/deletedProcess/start")
                .as("dave")
                .json(Map.of())
                .send()
                .status())
        .isEqualTo(200);

    Answer refused =
        door.call("DELETE", "/engine-rest/deployment/" + id + "?cascade=true").as("alice").send();
    assertThat(refused.status()).as("hidden from her, it looks absent").isEqualTo(404);
    assertThat(repository.createDeploymentQuery().deploymentId(id).count()).isOne();
    assertThat(events("deployment.deleted"))
        .noneMatch(e -> id.equals(e.path("details").path("deploymentId").asText()));

    Answer deleted =
        door.call("DELETE", "/engine-rest/deployment/" + id + "?cascade=true").as("dave").send();
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    JsonNode event =
        events("deployment.deleted").stream()
            .filter(e -> id.equals(e.path("details").path("deploymentId").asText()))
            .findFirst()
            .orElseThrow();
    assertThat(event.path("actor").asText()).isEqualTo("dave");
    assertThat(event.path("details").path("name").asText()).isEqualTo(name);
    assertThat(event.path("details").path("resources").asText()).isEqualTo("deleted.bpmn");
    assertThat(event.path("details").path("sha256").path("deleted.bpmn").asText())
        .isEqualTo(sha256(bpmn));
    assertThat(event.path("details").path("processDefinitions").asText())
        .startsWith("deletedProcess:");
    assertThat(event.path("details").path("cascade").asBoolean()).isTrue();
  }

  @Test
  void anAdminDeletesProcessDefinitions_byIdAndByKey_thenEachIsAudited() {
    String key = "deletedDefinition";
    byte[] bpmn =
        Bpmn.convertToString(
                Bpmn.createExecutableProcess(key)
                    .camundaHistoryTimeToLive(1)
                    .startEvent("startEvent_started")
                    .endEvent("endEvent_done")
                    .done())
            .getBytes(StandardCharsets.UTF_8);
    deploy("dave", "definition-1-" + UUID.randomUUID(), Map.of("d.bpmn", bpmn));
    String first =
        repository
            .createProcessDefinitionQuery()
            .processDefinitionKey(key)
            .latestVersion()
            .singleResult()
            .getId();

    assertThat(
            door.call("DELETE", "/engine-rest/process-definition/" + first)
                .as("alice")
                .send()
                .status())
        .isEqualTo(403);
    Answer byId = door.call("DELETE", "/engine-rest/process-definition/" + first).as("dave").send();
    assertThat(byId.status()).as(byId.body()).isIn(200, 204);
    assertThat(events("process-definition.deleted"))
        .anySatisfy(
            e -> {
              assertThat(e.path("actor").asText()).isEqualTo("dave");
              assertThat(e.path("details").path("processDefinitionIds").asText()).isEqualTo(first);
              assertThat(e.path("details").path("processDefinitions").asText())
                  .startsWith(key + ":");
            });

    deploy(
        "dave",
        "definition-2-" + UUID.randomUUID(),
        Map.of(
            "d.bpmn",
            (new String(bpmn, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8)));
    String second =
        repository
            .createProcessDefinitionQuery()
            .processDefinitionKey(key)
            .latestVersion()
            .singleResult()
            .getId();
    Answer byKey =
        door.call("DELETE", "/engine-rest/process-definition/key/" + key + "/delete?cascade=true")
            .as("dave")
            .send();
    assertThat(byKey.status()).as(byKey.body()).isIn(200, 204);
    assertThat(events("process-definition.deleted"))
        .anySatisfy(
            e -> {
              assertThat(e.path("details").path("processDefinitionIds").asText()).isEqualTo(second);
              assertThat(e.path("details").path("cascade").asBoolean()).isTrue();
            });
    assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(key).count())
        .isZero();
  }

  @Test
  void aRequesterDeploysAnything_thenRefusedAndNothingIsDeployed() throws IOException {
    String name = "alice-" + UUID.randomUUID();
    int before = latestVersionOf("jit-access");
    List<Map<String, byte[]>> attempts =
        List.of(
            Map.of("jit-access.bpmn", Files.readAllBytes(Path.of("processes/jit-access.bpmn"))),
            Map.of("deployment-check.dmn", decision("alice's")),
            Map.of(
                "approve-access.form", Files.readAllBytes(Path.of("forms/approve-access.form"))));

    for (Map<String, byte[]> files : attempts) {
      Answer answer = deploy("alice", name, files);
      assertThat(answer.status()).as(answer.body()).isEqualTo(403);
      assertThat(answer.body())
          .doesNotContain("Exception:")
          .doesNotContain("\tat ")
          .doesNotContain("io.portcullis");
    }
    assertThat(repository.createDeploymentQuery().deploymentName(name).count()).isZero();
    assertThat(latestVersionOf("jit-access")).isEqualTo(before);
    assertThat(deploymentEvents())
        .noneMatch(e -> name.equals(e.path("details").path("name").asText()));
  }

  @Test
  void nobodyDeploysWithoutCredentials() throws IOException {
    String name = "anonymous-" + UUID.randomUUID();
    Answer answer =
        door.call("POST", "/engine-rest/deployment/create")
            .multipart(
                Map.of("deployment-name", name),
                Map.of("jit-access.bpmn", Files.readAllBytes(Path.of("processes/jit-access.bpmn"))))
            .send();

    assertThat(answer.status()).isEqualTo(401);
    assertThat(repository.createDeploymentQuery().deploymentName(name).count()).isZero();
  }

  /**
   * The model deploys and fails at its start, or is refused at deploy; either way no instance is
   * left and nothing reached.
   */
  private void assertReachesNothing(String key, Map<String, byte[]> files) {
    Answer deployed = deploy("dave", key + "-" + UUID.randomUUID(), files);
    if (deployed.status() == 200) {
      Answer started =
          door.call("POST", "/engine-rest/process-definition/key/" + key + "/start")
              .as("dave")
              .json(Map.of())
              .send();
      assertThat(started.status()).as(key + ": " + started.body()).isNotEqualTo(200);
      assertThat(started.body())
          .doesNotContain("Hikari")
          .doesNotContain("jdbc:")
          .doesNotContain("io.portcullis");
    } else {
      assertThat(deployed.status()).as(key + ": " + deployed.body()).isBetween(400, 599);
    }
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(key).count())
        .as(key + " instances")
        .isZero();
  }

  /** A class a model could name; counts how often the engine made one. */
  public static class ReachedByClass implements JavaDelegate {
    static int made;

    public ReachedByClass() {
      made++;
    }

    @Override
    public void execute(DelegateExecution execution) {
      execution.setVariable("reached", "by a class");
    }
  }

  private void assertDigests(String deploymentId, Map<String, byte[]> files) {
    JsonNode event =
        deploymentEvents().stream()
            .filter(e -> deploymentId.equals(e.path("details").path("deploymentId").asText()))
            .findFirst()
            .orElseThrow();
    files.forEach(
        (file, bytes) ->
            assertThat(event.path("details").path("sha256").path(file).asText())
                .as(file)
                .isEqualTo(sha256(bytes)));
    assertThat(event.path("details").path("sha256").size()).isEqualTo(files.size());
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<JsonNode> events(String action) {
    Answer answer =
        door.call("GET", "/api/audit?action=" + action + "&size=200").as("frank").send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    answer.json().path("items").forEach(events::add);
    return events;
  }

  private Answer deploy(String user, String name, Map<String, byte[]> files) {
    return door.call("POST", "/engine-rest/deployment/create")
        .as(user)
        .multipart(Map.of("deployment-name", name, "deploy-changed-only", "true"), files)
        .send();
  }

  private void assertAudited(String deploymentId, String name, String resources) {
    List<JsonNode> events =
        deploymentEvents().stream()
            .filter(e -> deploymentId.equals(e.path("details").path("deploymentId").asText()))
            .toList();
    assertThat(events).hasSize(1);
    JsonNode event = events.get(0);
    assertThat(event.path("actor").asText()).isEqualTo("dave");
    assertThat(event.path("details").path("name").asText()).isEqualTo(name);
    assertThat(event.path("details").path("resources").asText()).isEqualTo(resources);
    // names, never contents
    assertThat(event.toString())
        .doesNotContain("<?xml")
        .doesNotContain("bpmn:definitions")
        .doesNotContain("components");
  }

  private List<JsonNode> deploymentEvents() {
    Answer answer =
        door.call("GET", "/api/audit?action=deployment.created&size=200").as("frank").send();
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    answer.json().path("items").forEach(events::add);
    return events;
  }

  private int latestVersionOf(String key) {
    return repository
        .createProcessDefinitionQuery()
        .processDefinitionKey(key)
        .latestVersion()
        .singleResult()
        .getVersion();
  }

  private String latestFormDeployment(String key) {
    return engine
        .getCommandExecutorTxRequired()
        .execute(
            context ->
                context
                    .getCamundaFormDefinitionManager()
                    .findLatestDefinitionByKey(key)
                    .getDeploymentId());
  }

  private String evaluate() {
    return decisions
        .evaluateDecisionTableByKey(
            DECISION, Variables.createVariables().putValue("resource", "staging-db-admin"))
        .getSingleResult()
        .getSingleEntry();
  }

  private static byte[] decision(String answer) {
    try (var in =
        DeploymentsThroughTheDoorTest.class.getResourceAsStream(
            "/deployments/contract-test-policy.dmn")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("\"VERSION\"", "\"" + answer + "\"")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
