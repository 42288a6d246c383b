package io.portcullis.request;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The scheduled start of processes/jit-access.bpmn (issue 29, item 2): approved before its start,
 * the request is SCHEDULED at "Wait for the start" until "Start time reached", then "Check the
 * requester again", and is granted for the approved time counted from the start; or it ends
 * CANCELLED with nothing granted (cancelled, revoked, or refused at the start). The engine clock
 * moves; the job executor is off.
 */
@PortcullisTest
class ScheduledStartProcessTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final Instant TONIGHT = T0.plus(Duration.ofHours(14));

  @Autowired LdapGroupConnector ldapGroups;
  @Autowired Connectors connectors;

  @AfterEach
  void revokeWhatTheTestsGranted() {
    ldapGroups.revoke(Username.of("alice"), Target.of(STAGING));
  }

  @Test
  void approvedBeforeItsStart_isGrantedAtTheStartForTheApprovedTimeCountedFromIt() {
    ProcessInstance pi = scheduled("alice", "PT2H", TONIGHT.toString());
    Assertions.assertThat(request(pi).startAt()).isEqualTo(TONIGHT);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.PENDING);
    Assertions.assertThat(
            tasks.getVariableLocal(
                tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult().getId(),
                AccessProcess.STARTS_AT))
        .as("the approver reads when the access would start")
        .isEqualTo(TONIGHT.toString());
    decide(pi, "bob", List.of("team-leads"), "approve", "the window tonight");

    assertThat(pi).isWaitingAt("gateway_awaitStart");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.SCHEDULED);
    Job start = timer(pi, AccessProcess.TIMER_SCHEDULED_START);
    Assertions.assertThat(start.getDuedate().toInstant()).isEqualTo(TONIGHT);
    moveClockTo(TONIGHT.minusSeconds(1));
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(pi.getId()).executable().count())
        .as("nothing is due before the start")
        .isZero();

    // the job executor picks the timer up half a minute late: the window still ends on time
    Instant late = TONIGHT.plusSeconds(30);
    moveClockTo(late);
    runJob(pi);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_AT_START);
    runJob(pi);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.PENDING);
    runJob(pi); // the standing-access check, and the access clock
    runJob(pi); // the grant
    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    AccessRequest active = request(pi);
    Assertions.assertThat(active.status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(active.grantAttemptedAt()).isEqualTo(late);
    Assertions.assertThat(active.expiresAt())
        .as("the approved time counts from the start, never longer")
        .isEqualTo(TONIGHT.plus(Duration.ofHours(2)));
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();

    moveClockTo(active.expiresAt());
    runJob(pi);
    runJob(pi);
    assertThat(pi).isEnded().hasPassed(AccessProcess.TIMER_SCHEDULED_START, "endEvent_accessEnded");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by alice",
            "access.decided by bob",
            "access.granted by system",
            "access.expired by system");
  }

  @Test
  void theRequesterCancelsWhileScheduled_andNothingIsGranted() {
    ProcessInstance pi = approvedAndScheduled();
    askToEnd(pi, AccessProcess.MESSAGE_CANCEL, "alice", "cancelled by the requester");

    assertThat(pi).isEnded().hasPassed("endEvent_scheduleCancelled");
    AccessRequest cancelled = request(pi);
    Assertions.assertThat(cancelled.status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(cancelled.endedBy()).isEqualTo("alice");
    Assertions.assertThat(cancelled.grantAttemptedAt()).isNull();
    Assertions.assertThat(management.createJobQuery().processInstanceId(pi.getId()).count())
        .as("no timer is left")
        .isZero();
    Assertions.assertThat(auditOf(pi)).endsWith("access.cancelled by alice");
  }

  @Test
  void aRevokeWhileScheduled_endsItCancelledByTheRevoker() {
    ProcessInstance pi = approvedAndScheduled();
    askToEnd(pi, AccessProcess.MESSAGE_REVOKE, "bob", "the window moved to next week");

    assertThat(pi).isEnded().hasPassed("endEvent_scheduleRevoked");
    AccessRequest cancelled = request(pi);
    Assertions.assertThat(cancelled.status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(cancelled.endedBy()).isEqualTo("bob");
    Assertions.assertThat(cancelled.endReason()).isEqualTo("the window moved to next week");
  }

  /**
   * The check at the start cannot finish (the target's system does not know the requester, and
   * would say so on every retry): the requester's cancel still ends the request, CANCELLED, with
   * nothing granted, as while it waited.
   */
  @Test
  void aCancelWhileTheCheckAtTheStartRetries_endsItCancelled() {
    ProcessInstance pi = scheduled("ghost", "PT2H", TONIGHT.toString());
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    moveClockTo(TONIGHT);
    runJob(pi);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_AT_START);
    Assertions.assertThatThrownBy(() -> runJob(pi)).hasMessageContaining("ghost");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.SCHEDULED);

    askToEnd(pi, AccessProcess.MESSAGE_CANCEL, "ghost", "cancelled by the requester");

    assertThat(pi).isEnded().hasPassed("boundaryEvent_checkCancelled", "endEvent_cancelledAtStart");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(request(pi).endedBy()).isEqualTo("ghost");
    Assertions.assertThat(request(pi).grantAttemptedAt()).isNull();
  }

  @Test
  void aDenialBeforeTheStartEndsItAsToday() {
    ProcessInstance pi = scheduled("alice", "PT2H", TONIGHT.toString());
    decide(pi, "bob", List.of("team-leads"), "deny", "not tonight");

    assertThat(pi)
        .isEnded()
        .hasPassed("endEvent_requestDenied")
        .hasNotPassed("gateway_awaitStart", AccessProcess.TIMER_SCHEDULED_START);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.DENIED);
  }

  @Test
  void aRequesterWhoseAccountIsDisabledAtTheStart_isCancelledWithTheReasonAndGetsNothing() {
    ProcessInstance pi = approvedAndScheduled();
    AccountControl accounts =
        connectors.named(ConnectorName.of("ldap-group"), AccountControl.class).orElseThrow();
    accounts.disable(Username.of("alice"));
    try {
      moveClockTo(TONIGHT);
      runJob(pi);
      runJob(pi);
    } finally {
      accounts.enable(Username.of("alice"));
    }

    assertThat(pi)
        .isEnded()
        .hasPassed("boundaryEvent_startRefused", "endEvent_startRefused")
        .hasNotPassed(AccessProcess.TASK_START_CLOCK);
    AccessRequest cancelled = request(pi);
    Assertions.assertThat(cancelled.status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(cancelled.endedBy()).isEqualTo("system");
    Assertions.assertThat(cancelled.endReason())
        .isEqualTo("at its start, the requester's account in ldap-group is disabled");
    Assertions.assertThat(cancelled.grantAttemptedAt()).isNull();
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    Assertions.assertThat(auditOf(pi)).endsWith("access.cancelled by system");
  }

  /**
   * The process owner retires the staging rule of the approval policy after the approval: at its
   * start the request is not granted, and says why.
   */
  @Test
  void aPolicyThatNoLongerHasARuleAtTheStart_cancelsItWithTheReason() throws Exception {
    ProcessInstance pi = approvedAndScheduled();
    var repository = engine.getRepositoryService();
    String policy;
    try (var in = getClass().getResourceAsStream("/processes/approval-policy.dmn")) {
      policy = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String retired =
        policy.replace(
            "<inputEntry id=\"entry_stagingNeedsTeamLead_environment\"><text>\"staging\"</text>",
            "<inputEntry id=\"entry_stagingNeedsTeamLead_environment\"><text>\"retired\"</text>");
    Assertions.assertThat(retired).isNotEqualTo(policy);
    String deployment =
        repository
            .createDeployment()
            .name("staging-rule-retired")
            .addString("approval-policy.dmn", retired)
            .deploy()
            .getId();
    try {
      moveClockTo(TONIGHT);
      runJob(pi);
      runJob(pi);
    } finally {
      repository.deleteDeployment(deployment, true);
    }

    assertThat(pi).isEnded().hasPassed("endEvent_startRefused");
    AccessRequest cancelled = request(pi);
    Assertions.assertThat(cancelled.status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(cancelled.endReason())
        .startsWith("at its start, the approval policy refuses it: ")
        .contains("has no rule for this request");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void anApprovalThatComesAfterTheWholeWindow_grantsNothing() {
    ProcessInstance pi = scheduled("alice", "PT1H", T0.plus(Duration.ofHours(1)).toString());
    moveClockTo(T0.plus(Duration.ofHours(3)));
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    runJob(pi);
    runJob(pi);

    assertThat(pi).isEnded().hasPassed("endEvent_startRefused");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(request(pi).endReason()).contains("was over before it could start");
  }

  @Test
  void aStartInThePastOrTooFarAheadOrNotAnInstantNeverStartsAProcess() {
    for (var bad :
        Map.of(
                T0.minus(Duration.ofMinutes(5)).toString(),
                "is in the past",
                T0.plus(Duration.ofDays(31)).toString(),
                "is more than P30D ahead",
                "tonight at eleven",
                "ISO-8601")
            .entrySet()) {
      Assertions.assertThatThrownBy(() -> scheduled("alice", "PT1H", bad.getKey()))
          .as(bad.getKey())
          .hasRootCauseInstanceOf(InvalidInputException.class)
          .hasMessageContaining("startAt: ")
          .hasMessageContaining(bad.getValue());
    }
    Assertions.assertThat(
            runtime.createProcessInstanceQuery().processDefinitionKey(AccessProcess.KEY).count())
        .isZero();
    // within the tolerance, a start a few seconds ago is taken
    ProcessInstance now = scheduled("alice", "PT1H", T0.minusSeconds(20).toString());
    Assertions.assertThat(request(now).startAt()).isEqualTo(T0.minusSeconds(20));
  }

  // --- helpers

  /** A request of alice for staging-db-admin with a start, as Tasklist's start form sends it. */
  private ProcessInstance scheduled(String requester, String duration, String startAt) {
    Map<String, Object> variables = variables("staging-db-admin", duration);
    variables.put(AccessProcess.STARTS_AT, startAt);
    identity.setAuthentication(requester, List.of("developers"));
    try {
      return runtime.startProcessInstanceByKey(
          AccessProcess.KEY, UUID.randomUUID().toString(), variables);
    } finally {
      identity.clearAuthentication();
    }
  }

  private ProcessInstance approvedAndScheduled() {
    ProcessInstance pi = scheduled("alice", "PT2H", TONIGHT.toString());
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    assertThat(pi).isWaitingAt("gateway_awaitStart");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.SCHEDULED);
    return pi;
  }
}
