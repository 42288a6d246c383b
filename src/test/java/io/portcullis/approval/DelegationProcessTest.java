package io.portcullis.approval;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.portcullis.kernel.Caller;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Delegation (issue 29) in processes/jit-access.bpmn's approval stages, the engine clock moved: a
 * delegate decides in the delegator's place through the engine's own door (Tasklist's and the
 * engine's REST API complete), both names recorded; the rules of {@link SeparationOfDuties} hold
 * for both of them; a delegation never chains, and one that ran out or was ended counts for nothing
 * from that moment. The delegate here is olivia, a developer with no approver group of her own.
 */
@PortcullisTest
class DelegationProcessTest extends ProcessFixture {

  static final Caller CAROL = new Caller(Username.of("carol"), List.of("security"), Set.of());
  static final Caller BOB =
      new Caller(Username.of("bob"), List.of("developers", "team-leads"), Set.of());
  static final List<String> OLIVIAS = List.of("developers", "oncall");

  @Autowired Delegations delegations;
  @Autowired Approvals approvals;

  @AfterEach
  void forgetTheDelegations() {
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(DelegationProcess.KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    jdbc.update("delete from approval_delegation");
  }

  @Test
  void aDelegateApprovesInTheDelegatorsPlace_bothNamesAreRecorded() {
    delegations.create(CAROL, "olivia", null, T0.plus(Duration.ofDays(7)), "on holiday");
    ProcessInstance pi = atStageTwo("alice");

    Assertions.assertThat(candidateUsers(pi)).containsExactly("olivia");
    Assertions.assertThat(waitingFor("olivia", OLIVIAS))
        .containsExactly(pi.getBusinessKey() + " for carol");
    decide(pi, "olivia", OLIVIAS, "approve");

    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    Decision d = chain(pi).decisions().get(1);
    Assertions.assertThat(d.approver().value()).isEqualTo("olivia");
    Assertions.assertThat(d.onBehalfOf().value()).isEqualTo("carol");
    Assertions.assertThat(
            jdbc.queryForObject(
                "select details from audit_event where request_id = ? and action = 'access.decided' and actor = 'olivia'",
                String.class,
                pi.getBusinessKey()))
        .contains("\"onBehalfOf\":\"carol\"");
    Assertions.assertThat(
            jdbc.queryForList(
                "select action || ' by ' || actor from audit_event where action like 'delegation.%'"
                    // other classes of this context delegate to other people
                    + " and subject = 'olivia'",
                String.class))
        .containsExactly("delegation.created by carol");
  }

  @Test
  void aDelegationMadeWhileTheTaskWaitsOffersItAtOnce_andEndingItWithdrawsIt() {
    ProcessInstance pi = atStageTwo("alice");
    Assertions.assertThat(candidateUsers(pi)).isEmpty();

    Delegation d =
        delegations.create(CAROL, "olivia", null, T0.plus(Duration.ofDays(1)), "on holiday");
    Assertions.assertThat(candidateUsers(pi)).containsExactly("olivia");
    Assertions.assertThat(tasklistOf("olivia", OLIVIAS)).containsExactly(task(pi).getId());

    delegations.end(CAROL, d.id());
    Assertions.assertThat(candidateUsers(pi)).isEmpty();
    assertThat(timingOf(d)).isNull();
    Assertions.assertThat(tasklistOf("olivia", OLIVIAS)).isEmpty();
    Assertions.assertThat(waitingFor("olivia", OLIVIAS)).isEmpty();
    refused(pi, "olivia", OLIVIAS, "olivia is not in the approver group security of stage 2");
  }

  @Test
  void aDelegationThatRunsOutMidTaskStopsAtOnce() {
    Instant until = T0.plus(Duration.ofHours(1));
    Delegation d = delegations.create(CAROL, "olivia", null, until, "out this morning");
    // made in force: offered at once; its start timer is due now, and offers again, idempotently
    ProcessInstance timing = timingOf(d);
    runJob(timing);
    runJob(timing);
    assertThat(timing).isWaitingAt("timerEvent_delegationRunsOut");
    ProcessInstance pi = atStageTwo("alice");
    Assertions.assertThat(waitingFor("olivia", OLIVIAS)).hasSize(1);

    moveClockTo(until.minusSeconds(1));
    Assertions.assertThat(waitingFor("olivia", OLIVIAS)).hasSize(1);
    moveClockTo(until);

    Assertions.assertThat(waitingFor("olivia", OLIVIAS)).isEmpty();
    Assertions.assertThat(
            approvals
                .waitingFor(new Caller(Username.of("olivia"), OLIVIAS, Set.of()), 0, 20)
                .totalItems())
        .isZero();
    refused(pi, "olivia", OLIVIAS, "olivia is not in the approver group security of stage 2");
    Assertions.assertThat(chain(pi).decisions()).hasSize(1);
    // Tasklist follows when processes/delegation.bpmn's end timer fires
    Assertions.assertThat(candidateUsers(pi)).containsExactly("olivia");

    assertThat(timing).isWaitingAt("timerEvent_delegationRunsOut");
    runJob(timing);
    assertThat(timing).isWaitingAt("serviceTask_withdrawDelegatedTasks");
    runJob(timing);
    assertThat(timing).isEnded();
    Assertions.assertThat(candidateUsers(pi)).isEmpty();
    // carol herself still decides
    decide(pi, "carol", List.of("security"), "approve");
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
  }

  @Test
  void aDelegationThatStartsLaterCountsFromItsStart() {
    Instant from = T0.plus(Duration.ofHours(2));
    Delegation d =
        delegations.create(CAROL, "olivia", from, from.plus(Duration.ofDays(1)), "next week");
    ProcessInstance pi = atStageTwo("alice");
    Assertions.assertThat(waitingFor("olivia", OLIVIAS)).isEmpty();
    Assertions.assertThat(candidateUsers(pi)).isEmpty();
    refused(pi, "olivia", OLIVIAS, "olivia is not in the approver group security of stage 2");

    moveClockTo(from);
    Assertions.assertThat(waitingFor("olivia", OLIVIAS)).hasSize(1);
    // Tasklist follows when processes/delegation.bpmn's start timer fires
    ProcessInstance timing = timingOf(d);
    assertThat(timing).isWaitingAt("timerEvent_delegationStarts");
    runJob(timing);
    assertThat(timing).isWaitingAt("serviceTask_offerDelegatedTasks");
    runJob(timing);
    assertThat(timing).isWaitingAt("timerEvent_delegationRunsOut");
    Assertions.assertThat(candidateUsers(pi)).containsExactly("olivia");
  }

  @Test
  void aDelegateWhoIsTheRequesterIsRefused() {
    delegations.create(CAROL, "olivia", null, T0.plus(Duration.ofDays(1)), "on holiday");
    ProcessInstance pi = atStageTwo("olivia");

    Assertions.assertThat(candidateUsers(pi)).isEmpty();
    Assertions.assertThat(waitingFor("olivia", OLIVIAS)).isEmpty();
    refused(pi, "olivia", OLIVIAS, "the requester cannot decide on their own request");
  }

  @Test
  void aDelegateWhoApprovedAnotherStageIsRefused() {
    ProcessInstance pi = atStageTwo("alice");
    // bob approved stage 1; carol's approvals reach him now
    delegations.create(CAROL, "bob", null, T0.plus(Duration.ofDays(1)), "on holiday");

    Assertions.assertThat(waitingFor("bob", BOB.groups())).isEmpty();
    refused(
        pi,
        "bob",
        BOB.groups(),
        "bob approved stage 1 and cannot approve another stage of the same request");
  }

  @Test
  void aDelegatorWhoseDelegateApprovedOneStageCannotApproveAnother() {
    // bob's approvals are olivia's: she approves stage 1 for him, and he may not approve stage 2
    delegations.create(BOB, "olivia", null, T0.plus(Duration.ofDays(1)), "on holiday");
    ProcessInstance pi = request("alice", List.of("developers"), "prod-db-readonly", "PT1H");
    decide(pi, "olivia", OLIVIAS, "approve");
    Assertions.assertThat(chain(pi).decisions().get(0).onBehalfOf().value()).isEqualTo("bob");

    refused(
        pi,
        "bob",
        List.of("developers", "team-leads", "security"),
        "bob approved stage 1 and cannot approve another stage of the same request");
  }

  @Test
  void delegationNeverChains() {
    delegations.create(CAROL, "olivia", null, T0.plus(Duration.ofDays(1)), "on holiday");
    // olivia holds carol's approvals, but is no approver herself: she has nothing to hand on
    Assertions.assertThatThrownBy(
            () ->
                delegations.create(
                    new Caller(Username.of("olivia"), OLIVIAS, Set.of()),
                    "erin",
                    null,
                    T0.plus(Duration.ofDays(1)),
                    "off too"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("only an approver delegates");
    ProcessInstance pi = atStageTwo("alice");

    Assertions.assertThat(candidateUsers(pi)).containsExactly("olivia");
    Assertions.assertThat(waitingFor("erin", List.of("developers"))).isEmpty();
    refused(
        pi, "erin", List.of("developers"), "erin is not in the approver group security of stage 2");
    Assertions.assertThat(groupsOf("erin")).doesNotContain("security");
  }

  /** The instance of processes/delegation.bpmn that keeps this delegation's time; null: none. */
  private ProcessInstance timingOf(Delegation d) {
    return runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(DelegationProcess.KEY)
        .processInstanceBusinessKey(d.id())
        .singleResult();
  }

  /** A two-stage request of this requester, approved by bob in stage 1. */
  private ProcessInstance atStageTwo(String requester) {
    ProcessInstance pi = request(requester, List.of("developers"), "prod-db-readonly", "PT1H");
    decide(pi, "bob", List.of("developers", "team-leads"), "approve");
    Assertions.assertThat(task(pi).getName()).endsWith("stage 2 of 2");
    return pi;
  }

  /** Completes the approval task as this person through the engine's door, as Tasklist does. */
  private void decide(ProcessInstance pi, String user, List<String> groups, String decision) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(ApprovalProcess.DECISION, decision);
    complete(task(pi), user, groups, variables);
  }

  private void refused(ProcessInstance pi, String user, List<String> groups, String why) {
    assertThatThrownBy(() -> decidePastTheEngine(pi, user, groups, "approve", null))
        .hasRootCauseInstanceOf(ApprovalRefusedException.class)
        .hasMessageContaining(why);
  }

  private List<String> candidateUsers(ProcessInstance pi) {
    return tasks.getIdentityLinksForTask(task(pi).getId()).stream()
        .filter(l -> IdentityLinkType.CANDIDATE.equals(l.getType()) && l.getUserId() != null)
        .map(IdentityLink::getUserId)
        .toList();
  }

  /** What Tasklist lists for this person: the tasks they are a candidate of, as they may read. */
  private List<String> tasklistOf(String user, List<String> groups) {
    identity.setAuthentication(user, groups);
    try {
      return tasks
          .createTaskQuery()
          .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
          .taskCandidateUser(user)
          .list()
          .stream()
          .map(t -> t.getId())
          .toList();
    } finally {
      identity.clearAuthentication();
    }
  }

  /**
   * GET /api/approvals for this person: "request for delegator" or "request" in their own right.
   */
  private List<String> waitingFor(String user, List<String> groups) {
    return approvals
        .waitingFor(new Caller(Username.of(user), groups, Set.of()), 0, 20)
        .items()
        .stream()
        .map(
            w ->
                w.chain().requestId().value()
                    + (w.onBehalfOf() == null ? "" : " for " + w.onBehalfOf().value()))
        .toList();
  }

  private List<String> groupsOf(String user) {
    return identity.createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
  }
}
