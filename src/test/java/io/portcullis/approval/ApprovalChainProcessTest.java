package io.portcullis.approval;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.request.RequestStatus;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The approval chain of processes/jit-access.bpmn, stage by stage, with the policy of
 * processes/approval-policy.dmn or a version a test deploys over it (and takes back afterwards).
 * The engine clock moves; the job executor is off.
 */
@PortcullisTest
class ApprovalChainProcessTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";
  static final String PROD_LOGS = "cn=prod-logs-readonly,ou=groups,dc=portcullis,dc=demo";

  @Autowired FormService forms;
  @Autowired RepositoryService repository;
  @Autowired LdapGroupConnector ldapGroups;
  private final List<String> deployments = new ArrayList<>();

  @AfterEach
  void takeBackWhatTheTestsChanged() {
    deployments.forEach(id -> repository.deleteDeployment(id, true));
    for (String target : List.of(STAGING, PROD_DB, PROD_LOGS)) {
      for (String user : List.of("alice", "olivia")) {
        ldapGroups.revoke(Username.of(user), Target.of(target));
      }
    }
  }

  @Test
  void productionDataNeedsBobThenCarolAndNobodyDecidesTwice() {
    ProcessInstance pi = request("alice", List.of("developers"), "prod-db-readonly", "PT1H");
    Chain chain = chain(pi);
    Assertions.assertThat(chain.stages())
        .extracting(Stage::approverGroup)
        .containsExactly("team-leads", "security");
    Assertions.assertThat(chain.policy()).startsWith("approvalPolicy:");
    Assertions.assertThat(task(pi).getName())
        .isEqualTo("Approve prod-db-readonly for alice (PT1H), stage 1 of 2");
    assertThat(task(pi)).hasCandidateGroup("team-leads");

    refused(
        pi,
        "carol",
        List.of("security"),
        "carol is not in the approver group team-leads of stage 1");
    refused(
        pi,
        "alice",
        List.of("developers", "team-leads"),
        "the requester cannot decide on their own request");
    decidePastTheEngine(
        pi, "bob", List.of("developers", "team-leads", "security"), "approve", null);

    assertThat(pi).isWaitingAt(ApprovalProcess.TASK_APPROVE);
    Assertions.assertThat(task(pi).getName()).endsWith("stage 2 of 2");
    assertThat(task(pi)).hasCandidateGroup("security");
    refused(
        pi,
        "bob",
        List.of("developers", "team-leads", "security"),
        "bob approved stage 1 and cannot approve another stage");
    Assertions.assertThat(
            ((FormRows) tasks.getVariableLocal(task(pi).getId(), ApprovalTask.DECISIONS_SO_FAR))
                .rows())
        .containsExactly(
            FormRows.row(
                "at",
                T0.toString(),
                "stage",
                "1",
                "approver",
                "bob",
                "decision",
                "APPROVE",
                "duration",
                "as asked",
                "comment",
                ""));
    decidePastTheEngine(pi, "carol", List.of("security"), "approve", "read-only is fine");

    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    Assertions.assertThat(chain(pi).approved()).isTrue();
    Assertions.assertThat(chain(pi).decisions())
        .extracting(d -> d.approver().value())
        .containsExactly("bob", "carol");
    runJob(pi); // the standing-access check, and the access clock
    runJob(pi); // the grant
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(PROD_DB))).isTrue();
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by alice",
            "action.refused by carol",
            "action.refused by alice",
            "access.decided by bob",
            "action.refused by bob",
            "access.decided by carol",
            "access.granted by system");
  }

  @Test
  void aDecisionIsWhatItsOwnCompletionCarriesNothingAnEarlierStageLeft() {
    ProcessInstance pi = request("alice", List.of("developers"), "prod-db-readonly", "PT2H");
    decidePastTheEngine(pi, "bob", List.of("team-leads"), "approve", "an hour will do", "PT1H");

    Task second = task(pi);
    for (String field :
        List.of(
            ApprovalProcess.DECISION,
            ApprovalProcess.DECISION_COMMENT,
            ApprovalProcess.APPROVED_DURATION)) {
      Assertions.assertThat(tasks.getVariable(second.getId(), field))
          .as("the next approver's form starts without " + field)
          .isNull();
    }
    assertThatThrownBy(() -> completePastTheEngine(pi, "carol", List.of("security"), Map.of()))
        .as("no decision of its own: bob's approve does not count for carol")
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("decision: must be 'approve' or 'deny'");
    decidePastTheEngine(pi, "carol", List.of("security"), "approve", null);

    Assertions.assertThat(chain(pi).decisions())
        .satisfiesExactly(
            bob -> Assertions.assertThat(bob.duration().value()).isEqualTo(Duration.ofHours(1)),
            carol -> {
              Assertions.assertThat(carol.comment()).as("not bob's comment").isNull();
              Assertions.assertThat(carol.duration()).as("not bob's duration").isNull();
            });
    Assertions.assertThat(chain(pi).approvedDuration().value()).isEqualTo(Duration.ofHours(1));
  }

  /**
   * What routes the request (whether and how many stages run, a stage's reminder and deadline, its
   * outcome) is read in the transaction that sets it, the request as asked is stored with the
   * request, and the decision with the chain: none of them is stored in the instance, where nothing
   * would read it (issue 31: 13 variable writes fewer per request). The timers still take their
   * times from the stage.
   */
  @Test
  void theRoutingValuesTheStartFieldsAndTheDecisionsAreNeverStoredInTheInstance() {
    ProcessInstance pi = request("alice", List.of("developers"), "prod-db-readonly", "PT1H");
    Assertions.assertThat(instanceVariables(pi)).isEmpty();
    // nothing left in the instance for the form to show, so no empty field is written over it
    Assertions.assertThat(tasks.getVariablesLocal(task(pi).getId()).keySet())
        .doesNotContain(
            ApprovalProcess.DECISION,
            ApprovalProcess.DECISION_COMMENT,
            ApprovalProcess.APPROVED_DURATION,
            // no decision yet: an empty table is not written (the form shows it empty)
            ApprovalTask.DECISIONS_SO_FAR)
        .contains(ApprovalTask.STAGE);
    Stage first = chain(pi).stages().get(0);
    Assertions.assertThat(timer(pi, ApprovalProcess.TIMER_REMINDER).getDuedate().toInstant())
        .isEqualTo(T0.plus(first.remindAfter()));
    Assertions.assertThat(timer(pi, ApprovalProcess.TIMER_DEADLINE).getDuedate().toInstant())
        .isEqualTo(T0.plus(first.deadline()));

    decidePastTheEngine(pi, "bob", List.of("team-leads"), "approve", "fine by me");
    Assertions.assertThat(instanceVariables(pi)).isEmpty();
    Assertions.assertThat(task(pi).getName()).endsWith("stage 2 of 2");
    Assertions.assertThat(
            ((FormRows) tasks.getVariableLocal(task(pi).getId(), ApprovalTask.DECISIONS_SO_FAR))
                .rows())
        .as("bob's decision, shown to the second stage")
        .hasSize(1);
    Assertions.assertThat(timer(pi, ApprovalProcess.TIMER_DEADLINE).getDuedate().toInstant())
        .isEqualTo(T0.plus(chain(pi).stages().get(1).deadline()));

    decidePastTheEngine(pi, "carol", List.of("security"), "approve", null);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    Assertions.assertThat(instanceVariables(pi)).isEmpty();
  }

  /** The instance's variables (not a task's form fields) among those nothing reads afterwards. */
  private List<String> instanceVariables(ProcessInstance pi) {
    return runtime
        .createVariableInstanceQuery()
        .processInstanceIdIn(pi.getId())
        .variableNameIn(
            AccessProcess.RESOURCE,
            AccessProcess.DURATION,
            AccessProcess.JUSTIFICATION,
            AccessProcess.TICKET,
            ApprovalProcess.APPROVAL_NEEDED,
            ApprovalProcess.STAGE_COUNT,
            ApprovalProcess.REMIND_AFTER,
            ApprovalProcess.DEADLINE,
            ApprovalProcess.STAGE_OUTCOME,
            ApprovalProcess.DECISION,
            ApprovalProcess.DECISION_COMMENT,
            ApprovalProcess.APPROVED_DURATION)
        .list()
        .stream()
        .filter(v -> v.getTaskId() == null)
        .map(v -> v.getName())
        .toList();
  }

  @Test
  void aQuorumOfTwoCountsEachApproverOnce() {
    deployPolicy(
        row(
            "\"staging\"",
            "1",
            "\"team-leads\"",
            "2",
            "\"PT4H\"",
            "\"PT24H\"",
            "\"portcullis-admins\""));
    ProcessInstance pi = request("alice", List.of("developers"), "staging-db-admin", "PT1H");
    decidePastTheEngine(pi, "bob", List.of("team-leads"), "approve", null);

    assertThat(pi).as("one approval of two").isWaitingAt(ApprovalProcess.TASK_APPROVE);
    Assertions.assertThat((String) tasks.getVariableLocal(task(pi).getId(), ApprovalTask.STAGE))
        .contains("2 distinct approvals needed, 1 so far");
    refused(
        pi,
        "bob",
        List.of("team-leads"),
        "bob has already decided stage 1; each approver counts once");
    decidePastTheEngine(pi, "zoe", List.of("team-leads"), "approve", null);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
  }

  @Test
  void aDenyAfterAnApprovalInTheSameStageEndsTheRequestDenied() {
    deployPolicy(row("\"staging\"", "1", "\"team-leads\"", "2", "\"PT4H\"", "\"PT24H\"", ""));
    ProcessInstance pi = request("alice", List.of("developers"), "staging-db-admin", "PT1H");
    decidePastTheEngine(pi, "bob", List.of("team-leads"), "approve", null);
    decidePastTheEngine(pi, "zoe", List.of("team-leads"), "deny", "not during the freeze");

    assertThat(pi)
        .isEnded()
        .hasPassed("endEvent_stageDenied", "endEvent_requestDenied")
        .hasNotPassed(AccessProcess.TASK_GRANT);
    var denied = request(pi);
    Assertions.assertThat(denied.status()).isEqualTo(RequestStatus.DENIED);
    Assertions.assertThat(denied.endedBy()).isEqualTo("zoe");
    Assertions.assertThat(denied.endReason()).isEqualTo("not during the freeze");
  }

  @Test
  void aStageNobodyDecidesRemindsThenItsEscalationGroupMayDecide() {
    ProcessInstance pi = request("alice", List.of("developers"), "staging-db-admin", "PT1H");
    refused(
        pi,
        "dave",
        List.of("portcullis-admins"),
        "(the escalation group portcullis-admins may decide only after the reminder)");
    Job reminder = timer(pi, ApprovalProcess.TIMER_REMINDER);
    Assertions.assertThat(reminder.getDuedate().toInstant())
        .isEqualTo(T0.plus(Duration.ofHours(4)));

    moveClockTo(T0.plus(Duration.ofHours(4)));
    management.executeJob(reminder.getId());
    Job escalate = jobAt(pi, ApprovalProcess.TASK_ESCALATE);
    management.executeJob(escalate.getId());

    assertThat(pi)
        .as("non-interrupting: the task waits on")
        .isWaitingAt(ApprovalProcess.TASK_APPROVE);
    assertThat(task(pi)).hasCandidateGroup("team-leads").hasCandidateGroup("portcullis-admins");
    Assertions.assertThat(chain(pi).stages().get(0).escalatedAt())
        .isEqualTo(T0.plus(Duration.ofHours(4)));
    decidePastTheEngine(pi, "dave", List.of("portcullis-admins"), "approve", "bob is away");
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by alice",
            "action.refused by dave",
            "approval.escalated by system",
            "access.decided by dave");
  }

  @Test
  void anOnCallEngineerGetsTheLogsForAnHourWithoutApproval() {
    ProcessInstance pi =
        request("olivia", List.of("developers", "oncall"), "prod-logs-readonly", "PT1H");
    Assertions.assertThat(chain(pi).waived()).isTrue();
    assertThat(pi)
        .hasNotPassed(ApprovalProcess.TASK_APPROVE)
        .isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    runJob(pi); // the standing-access check, and the access clock
    runJob(pi); // the grant
    Assertions.assertThat(ldapGroups.holds(Username.of("olivia"), Target.of(PROD_LOGS))).isTrue();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);

    ProcessInstance longer =
        request("olivia", List.of("developers", "oncall"), "prod-logs-readonly", "PT2H");
    assertThat(longer).isWaitingAt(ApprovalProcess.TASK_APPROVE);
  }

  @Test
  void aRequestNoRuleMatchesIsRefusedNamingThePolicy() {
    int version = deployPolicy(row("\"production\"", "1", "\"security\"", "1", "", "", ""));
    assertThatThrownBy(() -> request("alice", List.of("developers"), "staging-db-admin", "PT1H"))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "the approval policy approvalPolicy:" + version + " has no rule for this request");
    Assertions.assertThat(
            runtime.createProcessInstanceQuery().processDefinitionKey(AccessProcess.KEY).count())
        .isZero();
  }

  @Test
  void aNewPolicyVersionAppliesToNewRequestsOnly() {
    ProcessInstance before = request("alice", List.of("developers"), "staging-db-admin", "PT1H");
    deployPolicy(
        row("\"staging\"", "1", "\"team-leads\"", "1", "", "", ""),
        row("\"staging\"", "2", "\"security\"", "1", "", "", ""));
    ProcessInstance after = request("alice", List.of("developers"), "staging-db-admin", "PT1H");

    Assertions.assertThat(chain(after).stages())
        .extracting(Stage::approverGroup)
        .containsExactly("team-leads", "security");
    Assertions.assertThat(chain(before).stages())
        .extracting(Stage::approverGroup)
        .containsExactly("team-leads");
    decidePastTheEngine(before, "bob", List.of("team-leads"), "approve", null);
    assertThat(before)
        .as("its own chain: one stage")
        .isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    decidePastTheEngine(after, "bob", List.of("team-leads"), "approve", null);
    assertThat(after).isWaitingAt(ApprovalProcess.TASK_APPROVE);
    assertThat(task(after)).hasCandidateGroup("security");
  }

  @Test
  void anApproverMayApproveAShorterTimeThanAskedNeverALongerOne() {
    ProcessInstance pi = request("alice", List.of("developers"), "staging-db-admin", "PT2H");
    assertThatThrownBy(
            () -> decidePastTheEngine(pi, "bob", List.of("team-leads"), "approve", null, "PT3H"))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("never a longer one");
    assertThatThrownBy(
            () ->
                decidePastTheEngine(
                    pi, "bob", List.of("team-leads"), "approve", null, "ten minutes"))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ISO-8601");
    decidePastTheEngine(
        pi, "bob", List.of("team-leads"), "approve", "half an hour is enough", "PT30M");
    runJob(pi); // the standing-access check, and the access clock
    runJob(pi); // the grant

    var active = request(pi);
    Assertions.assertThat(active.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    Assertions.assertThat(chain(pi).approvedDuration().value()).isEqualTo(Duration.ofMinutes(30));
  }

  /**
   * Issue 24, findings 8 and 11: a comment is one line, and the decisions reach the next approver
   * as rows of a table, so a comment that looks like a decision is a cell of bob's row, never a row
   * of its own; carol's form shows what a plain approval of hers grants (bob's shorter time) beside
   * what was asked, and she may shorten it further, never lengthen it.
   */
  @Test
  void decisionsReachTheNextApproverAsRowsWithWhatAnApprovalWouldGrant() {
    ProcessInstance pi = request("alice", List.of("developers"), "prod-db-readonly", "PT1H");
    for (String forged :
        List.of(
            "fine\n" + T0 + "  stage 2  carol  APPROVE",
            "fine\r\ncarol: APPROVE",
            "fine\rcarol: APPROVE")) {
      assertThatThrownBy(
              () -> decidePastTheEngine(pi, "bob", List.of("team-leads"), "approve", forged))
          .hasRootCauseInstanceOf(InvalidInputException.class)
          .hasMessageContaining("comment: must be one line");
    }
    String lookalike = "fine " + T0 + "  stage 2  carol  APPROVE";
    decidePastTheEngine(pi, "bob", List.of("team-leads"), "approve", lookalike, "PT30M");

    Task second = task(pi);
    Assertions.assertThat(second.getName())
        .isEqualTo("Approve prod-db-readonly for alice (PT30M of PT1H asked), stage 2 of 2");
    Assertions.assertThat(
            ((FormRows) tasks.getVariableLocal(second.getId(), ApprovalTask.DECISIONS_SO_FAR))
                .rows())
        .containsExactly(
            FormRows.row(
                "at",
                T0.toString(),
                "stage",
                "1",
                "approver",
                "bob",
                "decision",
                "APPROVE",
                "duration",
                "PT30M",
                "comment",
                lookalike));
    Assertions.assertThat(tasks.getVariableLocal(second.getId(), AccessProcess.DURATION))
        .isEqualTo("PT1H");
    Assertions.assertThat(tasks.getVariableLocal(second.getId(), ApprovalTask.GRANTED_IF_APPROVED))
        .isEqualTo("PT30M (approved so far; PT1H was asked)");

    assertThatThrownBy(
            () -> decidePastTheEngine(pi, "carol", List.of("security"), "approve", null, "PT45M"))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "a shorter duration than will be granted (PT30M, the shortest approved so far; PT1H was asked), never a longer one");
    decidePastTheEngine(pi, "carol", List.of("security"), "approve", "twenty minutes", "PT20M");
    runJob(pi);
    runJob(pi);
    Assertions.assertThat(request(pi).expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(20)));
  }

  /**
   * An empty table is left out only where nothing of that name would show in its place: an instance
   * that holds a variable of the name (one that started before this change, say) gets the empty
   * table written over it.
   */
  @Test
  void anEmptyTableIsWrittenWhereTheInstanceHoldsAVariableOfItsName() {
    ProcessInstance pi = request("alice", List.of("developers"), "prod-db-readonly", "PT1H");
    Assertions.assertThat(tasks.getVariableLocal(task(pi).getId(), AccessProcess.EARLIER_REQUESTS))
        .isNull();
    runtime.setVariable(pi.getId(), AccessProcess.EARLIER_REQUESTS, "left by an older version");

    decidePastTheEngine(pi, "bob", List.of("team-leads"), "approve", null);

    Assertions.assertThat(task(pi).getName()).endsWith("stage 2 of 2");
    Assertions.assertThat(
            ((FormRows) tasks.getVariableLocal(task(pi).getId(), AccessProcess.EARLIER_REQUESTS))
                .rows())
        .isEmpty();
    Assertions.assertThat(tasks.getVariable(task(pi).getId(), AccessProcess.EARLIER_REQUESTS))
        .as("what the form reads: the task's empty table, not the instance's variable")
        .isInstanceOf(FormRows.class);
  }

  @Test
  void theApprovalFormResolvesAndShowsTheStage() {
    ProcessInstance pi = request("alice", List.of("developers"), "staging-db-admin", "PT1H");
    Task task = task(pi);
    Assertions.assertThat(task.getName()).isEqualTo("Approve staging-db-admin for alice (PT1H)");
    Assertions.assertThat(forms.getDeployedTaskForm(task.getId())).isNotNull();
    Assertions.assertThat((String) tasks.getVariableLocal(task.getId(), ApprovalTask.STAGE))
        .startsWith("Stage 1 of 1: team-leads decides; 1 approval needed, 0 so far");
    Assertions.assertThat(tasks.getVariableLocal(task.getId(), ApprovalTask.DECISIONS_SO_FAR))
        .as("no decision so far: an empty table is not written, and the form shows it empty")
        .isNull();
    Assertions.assertThat(tasks.getVariableLocal(task.getId(), ApprovalTask.GRANTED_IF_APPROVED))
        .isEqualTo("PT1H (as asked)");
  }

  // --- helpers

  private int deployPolicy(String... rows) {
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
              %s
            </decisionTable>
          </decision>
        </definitions>
        """
            .formatted(String.join("\n", rows))
            .strip();
    String id =
        repository
            .createDeployment()
            .name("test policy")
            .addString("approval-policy.dmn", xml)
            .deploy()
            .getId();
    deployments.add(id);
    return repository.createDecisionDefinitionQuery().deploymentId(id).singleResult().getVersion();
  }

  private static String row(String environment, String... outputs) {
    StringBuilder rule =
        new StringBuilder(
            "<rule id=\"r"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"><inputEntry id=\"i"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"><text>"
                + environment
                + "</text></inputEntry>");
    for (String output : outputs) {
      rule.append("<outputEntry id=\"o")
          .append(UUID.randomUUID().toString(), 0, 8)
          .append("\"><text>")
          .append(output)
          .append("</text></outputEntry>");
    }
    return rule.append("</rule>").toString();
  }

  private void refused(ProcessInstance pi, String approver, List<String> groups, String why) {
    assertThatThrownBy(() -> decidePastTheEngine(pi, approver, groups, "approve", null))
        .hasRootCauseInstanceOf(ApprovalRefusedException.class)
        .hasMessageContaining(why);
  }
}
