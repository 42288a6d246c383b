package io.portcullis.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.kernel.Caller;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a person may decide now ({@code GET /api/approvals}) is the database's answer to the rules
 * of {@link SeparationOfDuties}: the query and the rule agree for every chain and every caller, a
 * page is a page of that answer with its total, and no number of other tasks pushes a decidable one
 * out of it.
 */
@PortcullisTest
class SeparationOfDutiesQueryTest extends ProcessFixture {

  @Autowired RepositoryService repository;
  @Autowired Approvals approvals;
  @Autowired ChainRepository chainRepository;
  private final List<String> deployments = new ArrayList<>();

  @AfterEach
  void takeBackTheDeployments() {
    // the flood's instance goes with its deployment
    deployments.forEach(id -> repository.deleteDeployment(id, true));
  }

  /**
   * The finding: the list read the 500 oldest tasks of the caller's groups and filtered them
   * afterwards, so 510 older tasks that bob may not decide (there: another requester's flood) left
   * erin's new one out of his list. Here the 505 older tasks are those of a process that opened no
   * request through Portcullis, offered to team-leads, in one instance (fast to make); the rule
   * refuses them all alike.
   */
  @Test
  void aFloodOfTasksTheCallerMayNotDecideHidesNothingHeMay() {
    deployments.add(
        repository
            .createDeployment()
            .name("a flood of tasks")
            .addString("flood.bpmn", FLOOD)
            .deploy()
            .getId());
    runtime.startProcessInstanceByKey("floodOfTasks");
    assertThat(
            tasks
                .createTaskQuery()
                .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
                .taskCandidateGroup("team-leads")
                .count())
        .isEqualTo(505);
    moveClockTo(T0.plusSeconds(1));
    ProcessInstance erins = request("erin", List.of("developers"), "staging-db-admin", "PT1H");
    ProcessInstance bobsOwn =
        request("bob", List.of("developers", "team-leads"), "staging-db-admin", "PT1H");

    Approvals.Page page = approvals.waitingFor(caller("bob", "developers", "team-leads"), 0, 20);

    assertThat(page.items())
        .extracting(w -> w.chain().requestId().value())
        .containsExactly(erins.getBusinessKey())
        .doesNotContain(bobsOwn.getBusinessKey());
    assertThat(page.totalItems()).isEqualTo(1);
  }

  /** 505 approval tasks for team-leads in one instance of a process that opened no request. */
  static final String FLOOD =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
          id="definitions_flood" targetNamespace="https://portcullis.io/test">
        <bpmn:process id="floodOfTasks" isExecutable="true" camunda:historyTimeToLive="P1D">
          <bpmn:startEvent id="startEvent_flood" />
          <bpmn:sequenceFlow id="flow_toTasks" sourceRef="startEvent_flood" targetRef="userTask_approveAccess" />
          <bpmn:userTask id="userTask_approveAccess" camunda:candidateGroups="team-leads">
            <bpmn:multiInstanceLoopCharacteristics isSequential="false">
              <bpmn:loopCardinality>505</bpmn:loopCardinality>
            </bpmn:multiInstanceLoopCharacteristics>
          </bpmn:userTask>
          <bpmn:sequenceFlow id="flow_toEnd" sourceRef="userTask_approveAccess" targetRef="endEvent_flood" />
          <bpmn:endEvent id="endEvent_flood" />
        </bpmn:process>
      </bpmn:definitions>
      """
          .strip();

  /**
   * Chains in every state the rules tell apart (fresh, one approval of a quorum of two, the second
   * stage, the caller's own, escalated, denied), and callers in every position: the query offers
   * each caller exactly the tasks the rule lets them decide, page by page, oldest first.
   */
  @Test
  void theQueryOffersExactlyWhatTheRuleAllows() {
    deployPolicy();
    Map<String, ProcessInstance> requests = new LinkedHashMap<>();
    requests.put("fresh", request("alice", List.of("developers"), "staging-db-admin", "PT1H"));
    requests.put("oneOfTwo", request("alice", List.of("developers"), "staging-db-admin", "PT1H"));
    decidePastTheEngine(requests.get("oneOfTwo"), "bob", List.of("team-leads"), "approve", null);
    requests.put("secondStage", request("erin", List.of("developers"), "staging-db-admin", "PT1H"));
    decidePastTheEngine(requests.get("secondStage"), "bob", List.of("team-leads"), "approve", null);
    decidePastTheEngine(requests.get("secondStage"), "zoe", List.of("team-leads"), "approve", null);
    requests.put(
        "bobsOwn", request("bob", List.of("developers", "team-leads"), "staging-db-admin", "PT1H"));
    requests.put("escalated", request("erin", List.of("developers"), "staging-db-admin", "PT1H"));
    requests.put("denied", request("erin", List.of("developers"), "staging-db-admin", "PT1H"));
    decidePastTheEngine(requests.get("denied"), "zoe", List.of("team-leads"), "deny", null);
    moveClockTo(T0.plusSeconds(4 * 3600));
    String escalated = requests.get("escalated").getId();
    management.executeJob(
        management
            .createJobQuery()
            .processInstanceId(escalated)
            .timers()
            .activityId(ApprovalProcess.TIMER_REMINDER)
            .singleResult()
            .getId());
    management.executeJob(
        management
            .createJobQuery()
            .processInstanceId(escalated)
            .activityId(ApprovalProcess.TASK_ESCALATE)
            .singleResult()
            .getId());

    List<Caller> callers =
        List.of(
            caller("bob", "developers", "team-leads"),
            caller("BOB", "team-leads"),
            caller("zoe", "team-leads", "security"),
            caller("carol", "security"),
            caller("dave", "portcullis-admins"),
            caller("alice", "developers", "team-leads"),
            caller("kim", "team-leads", "security", "portcullis-admins"),
            caller("frank", "auditors"));
    Map<String, List<String>> offered = new LinkedHashMap<>();
    for (Caller caller : callers) {
      List<String> byQuery = allPages(caller);
      assertThat(byQuery)
          .as(caller.username() + " " + caller.groups())
          .containsExactlyElementsOf(byRule(caller));
      assertThat(approvals.waitingFor(caller, 0, 1).totalItems()).isEqualTo(byQuery.size());
      offered.put(
          caller.username() + " " + caller.groups(),
          byQuery.stream().map(id -> name(requests, id)).toList());
    }
    // and what the rule allows, in words, so that the two cannot agree on nothing
    assertThat(offered)
        .containsEntry("bob [developers, team-leads]", List.of("fresh", "escalated"))
        .containsEntry("BOB [team-leads]", List.of("fresh", "escalated"))
        .containsEntry(
            "zoe [team-leads, security]", List.of("fresh", "oneOfTwo", "bobsOwn", "escalated"))
        .containsEntry("carol [security]", List.of("secondStage"))
        .containsEntry("dave [portcullis-admins]", List.of("escalated"))
        .containsEntry("alice [developers, team-leads]", List.of("bobsOwn", "escalated"))
        .containsEntry(
            "kim [team-leads, security, portcullis-admins]",
            List.of("fresh", "oneOfTwo", "secondStage", "bobsOwn", "escalated"))
        .containsEntry("frank [auditors]", List.of());
  }

  /** Every page of the caller's list, one task a page, so that paging is checked too. */
  private List<String> allPages(Caller caller) {
    List<String> ids = new ArrayList<>();
    long total = approvals.waitingFor(caller, 0, 1).totalItems();
    for (int page = 0; page <= total; page++) {
      Approvals.Page one = approvals.waitingFor(caller, page, 1);
      assertThat(one.items()).hasSizeLessThanOrEqualTo(1);
      one.items().forEach(w -> ids.add(w.chain().requestId().value()));
    }
    return ids;
  }

  /** Every open approval task, oldest first, that the rule lets this caller decide. */
  private List<String> byRule(Caller caller) {
    List<String> ids = new ArrayList<>();
    for (Task task :
        tasks
            .createTaskQuery()
            .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
            .orderByTaskCreateTime()
            .asc()
            .list()) {
      Chain chain =
          chainRepository.findByProcessInstance(task.getProcessInstanceId()).orElseThrow();
      if (SeparationOfDuties.whyNot(caller.username(), caller.groups(), chain).isEmpty()) {
        ids.add(chain.requestId().value());
      }
    }
    return ids;
  }

  private static String name(Map<String, ProcessInstance> requests, String requestId) {
    return requests.entrySet().stream()
        .filter(e -> e.getValue().getBusinessKey().equals(requestId))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(requestId);
  }

  private static Caller caller(String name, String... groups) {
    return new Caller(Username.of(name), List.of(groups), Set.of());
  }

  /**
   * Staging: two distinct team leads (after the reminder, an admin may decide too), then security.
   */
  private void deployPolicy() {
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn"
            id="definitions_testPolicy" name="Test policy" namespace="https://portcullis.io/test">
          <decision id="approvalPolicy" name="Approval policy" camunda:historyTimeToLive="P1D">
            <decisionTable id="table" hitPolicy="COLLECT">
              <input id="in_environment"><inputExpression id="ie_environment" typeRef="string" expressionLanguage="feel"><text>environment</text></inputExpression></input>
              <output id="out_stage" name="stage" typeRef="integer" />
              <output id="out_group" name="approverGroup" typeRef="string" />
              <output id="out_quorum" name="quorum" typeRef="integer" />
              <output id="out_remind" name="remindAfter" typeRef="string" />
              <output id="out_deadline" name="deadline" typeRef="string" />
              <output id="out_escalation" name="escalationGroup" typeRef="string" />
              <rule id="r1"><inputEntry id="i1"><text>"staging"</text></inputEntry><outputEntry id="o11"><text>1</text></outputEntry>
                <outputEntry id="o12"><text>"team-leads"</text></outputEntry><outputEntry id="o13"><text>2</text></outputEntry>
                <outputEntry id="o14"><text>"PT4H"</text></outputEntry><outputEntry id="o15"><text>"PT24H"</text></outputEntry>
                <outputEntry id="o16"><text>"portcullis-admins"</text></outputEntry></rule>
              <rule id="r2"><inputEntry id="i2"><text>"staging"</text></inputEntry><outputEntry id="o21"><text>2</text></outputEntry>
                <outputEntry id="o22"><text>"security"</text></outputEntry><outputEntry id="o23"><text>1</text></outputEntry>
                <outputEntry id="o24"><text></text></outputEntry><outputEntry id="o25"><text></text></outputEntry>
                <outputEntry id="o26"><text></text></outputEntry></rule>
            </decisionTable>
          </decision>
        </definitions>
        """
            .strip();
    deployments.add(
        repository
            .createDeployment()
            .name("test policy")
            .addString("approval-policy.dmn", xml)
            .deploy()
            .getId());
  }
}
