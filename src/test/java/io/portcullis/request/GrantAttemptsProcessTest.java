package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.assertj.core.util.Throwables;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The paths of processes/jit-access.bpmn once a grant was attempted and not confirmed
 * (docs/architecture.md, rule 13: an attempted write counts as done until the target says
 * otherwise). The grant fails as a timed-out one does: the directory refuses while the step waits,
 * then applies the write after Portcullis gave up (here the test puts the member in, as the late
 * write would; {@code e2e/LateAppliedGrantTest} has a directory that really does it after the
 * client's timeout). Every way out runs the revoke, the access never outlives the approved time
 * counted from the first attempt, and a request that may have given access is never closed as a
 * harmless CANCELLED. The job executor is off: each test runs the jobs and moves the clock.
 */
@PortcullisTest
class GrantAttemptsProcessTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final String ALICE = "uid=alice,ou=people,dc=portcullis,dc=demo";

  @Autowired LdapGroupConnector ldapGroups;

  @AfterEach
  void revokeWhatTheTestsGranted() {
    ldapGroups.revoke(Username.of("alice"), Target.of(STAGING));
  }

  @Test
  void theRequesterCancelsWhileTheGrantIsRetried_theAttemptIsRevokedAndTheRequestEndsRevoked() {
    ProcessInstance pi = grantFailsAndIsAppliedLate("PT1H");
    AccessRequest attempted = request(pi);
    Assertions.assertThat(attempted.status()).isEqualTo(RequestStatus.PENDING);
    Assertions.assertThat(attempted.grantAttemptedAt()).isEqualTo(T0);
    Assertions.assertThat(attempted.grantedAt()).isNull();

    moveClockTo(T0.plus(Duration.ofSeconds(20)));
    askToEnd(pi, AccessProcess.MESSAGE_CANCEL, "alice", "cancelled by the requester");

    assertThat(pi).isWaitingAt(AccessProcess.TASK_REVOKE);
    Assertions.assertThat(grantJobs(pi)).as("the grant's retries end").isZero();
    Assertions.assertThat(request(pi).status())
        .as("PENDING until the directory confirms the revoke")
        .isEqualTo(RequestStatus.PENDING);
    runJob(pi);

    assertThat(pi)
        .isEnded()
        .hasPassed(
            "boundaryEvent_grantCancelled", AccessProcess.TASK_REVOKE, "endEvent_accessEnded")
        .hasNotPassed("endEvent_requestCancelled");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE)))
        .as("the late write is undone")
        .isFalse();
    AccessRequest ended = request(pi);
    Assertions.assertThat(ended.status())
        .as("never a harmless CANCELLED")
        .isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(ended.endedBy()).isEqualTo("alice");
    Assertions.assertThat(ended.endReason()).isEqualTo("cancelled by the requester");
    Assertions.assertThat(ended.endedAt()).isEqualTo(T0.plus(Duration.ofSeconds(20)));
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by alice",
            "access.decided by bob",
            "connector.failed by system",
            "access.revoked by alice");
    Assertions.assertThat(detailsOf(pi, "access.revoked"))
        .contains("\"grantConfirmed\":false")
        .contains("\"accessRemoved\":true");
  }

  @Test
  void aRevokeOfAGrantOutOfRetriesEndsItsIncidentAndRevokes() {
    ProcessInstance pi = grantFailsAndIsAppliedLate("PT1H");
    // the directory refuses again: the grant runs out of retries and waits as an incident
    createUnreliableTarget(false);
    while (runtime.createIncidentQuery().processInstanceId(pi.getId()).count() == 0) {
      moveClockTo(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofMinutes(1)));
      Job grant = jobAt(pi, AccessProcess.TASK_GRANT);
      assertThatThrownBy(() -> management.executeJob(grant.getId()))
          .isInstanceOf(RuntimeException.class);
    }
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.FAILED);
    createUnreliableTarget(true, ALICE);

    askToEnd(pi, AccessProcess.MESSAGE_REVOKE, "dave", "stuck grant");
    Assertions.assertThat(runtime.createIncidentQuery().processInstanceId(pi.getId()).count())
        .isZero();
    Assertions.assertThat(request(pi).status())
        .as("its incident is gone with the grant")
        .isEqualTo(RequestStatus.PENDING);
    runJob(pi);

    assertThat(pi).isEnded().hasPassed("boundaryEvent_grantRevoked", AccessProcess.TASK_REVOKE);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE))).isFalse();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(request(pi).endedBy()).isEqualTo("dave");
    Assertions.assertThat(auditOf(pi))
        .endsWith("incident.created by system", "access.revoked by dave");
  }

  @Test
  void theApprovedTimeRunsFromTheFirstAttempt_aGrantStillFailingWhenItEndsIsRevoked() {
    ProcessInstance pi = grantFailsAndIsAppliedLate("PT1H");
    Job expiry = timer(pi, "boundaryEvent_grantExpired");
    Assertions.assertThat(expiry.getDuedate().toInstant()).isEqualTo(T0.plus(Duration.ofHours(1)));

    moveClockTo(T0.plus(Duration.ofHours(1)).minusSeconds(1));
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(pi.getId()).timers().executable().count())
        .isZero();
    moveClockTo(T0.plus(Duration.ofHours(1)));
    management.executeJob(expiry.getId());
    assertThat(pi).isWaitingAt(AccessProcess.TASK_REVOKE);
    Assertions.assertThat(grantJobs(pi)).isZero();
    runJob(pi);

    assertThat(pi).isEnded().hasPassed("boundaryEvent_grantExpired", AccessProcess.TASK_REVOKE);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE))).isFalse();
    AccessRequest ended = request(pi);
    Assertions.assertThat(ended.status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(ended.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    Assertions.assertThat(ended.endedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    Assertions.assertThat(ended.endReason()).isEqualTo("expired");
    Assertions.assertThat(auditOf(pi)).endsWith("access.expired by system");
  }

  @Test
  void aGrantConfirmedByARetryEndsWhenTheFirstAttemptsTimeEnds() {
    ProcessInstance pi = grantFailsAndIsAppliedLate("PT1H");
    moveClockTo(T0.plus(Duration.ofMinutes(1)));
    runJobAt(pi, AccessProcess.TASK_GRANT);

    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    AccessRequest active = request(pi);
    Assertions.assertThat(active.status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(active.grantAttemptedAt()).isEqualTo(T0);
    Assertions.assertThat(active.grantedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    Assertions.assertThat(active.expiresAt())
        .as("counted from the first attempt, not the retry")
        .isEqualTo(T0.plus(Duration.ofHours(1)));
    Assertions.assertThat(timer(pi, "timerEvent_accessExpired").getDuedate().toInstant())
        .isEqualTo(T0.plus(Duration.ofHours(1)));
    Assertions.assertThat(detailsOf(pi, "access.granted"))
        .contains("\"grantAttemptedAt\":\"" + T0 + "\"");
  }

  @Test
  void aGrantConfirmedAfterItsTimeIsRevokedAtOnce() {
    ProcessInstance pi = grantFailsAndIsAppliedLate("PT1M");
    Assertions.assertThat(request(pi).expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    // the retry comes a minute after the first attempt, as its time runs out; it runs before the
    // expiry timer
    moveClockTo(T0.plus(Duration.ofMinutes(1)).plusSeconds(5));
    runJobAt(pi, AccessProcess.TASK_GRANT);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);

    Job expiry = timer(pi, "timerEvent_accessExpired");
    Assertions.assertThat(expiry.getDuedate().toInstant())
        .as("due already")
        .isBefore(ClockUtil.getCurrentTime().toInstant());
    management.executeJob(expiry.getId());
    runJob(pi);

    assertThat(pi)
        .isEnded()
        .hasPassed(AccessProcess.TASK_GRANT, "timerEvent_accessExpired", AccessProcess.TASK_REVOKE);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE))).isFalse();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(auditOf(pi))
        .endsWith("access.granted by system", "access.expired by system");
  }

  @Test
  void anOperatorWhoDeletesAnInstanceWhoseGrantWasAttemptedStillEndsItsAccess() {
    ProcessInstance pi = grantFailsAndIsAppliedLate("PT8H");

    identity.setAuthentication("dave", List.of("portcullis-admins"));
    try {
      runtime.deleteProcessInstance(pi.getId(), "stuck in Cockpit", true, true);
    } finally {
      identity.clearAuthentication();
    }

    ProcessInstance owed =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey(AccessProcess.REVOCATION_KEY)
            .processInstanceBusinessKey(pi.getBusinessKey())
            .singleResult();
    Assertions.assertThat(owed).as("an owed revoke, not a CANCELLED request").isNotNull();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.PENDING);
    management.executeJob(
        management.createJobQuery().processInstanceId(owed.getId()).singleResult().getId());

    assertThat(owed).isEnded();
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE))).isFalse();
    AccessRequest ended = request(pi);
    Assertions.assertThat(ended.status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(ended.endedBy()).isEqualTo("dave");
    Assertions.assertThat(ended.endReason())
        .isEqualTo("process instance deleted by an operator: stuck in Cockpit");
    Assertions.assertThat(auditOf(pi))
        .endsWith("connector.failed by system", "access.revoked by dave");
  }

  @Test
  void theRevokeOfAGrantNeverConfirmedLeavesStandingAccess() {
    createUnreliableTarget(true, ALICE);
    ProcessInstance pi = approved("alice", "unreliable-group", "PT1H");
    runJob(pi); // the check finds alice there already: standing access; the clock starts
    Assertions.assertThat(request(pi).accessPreexisted()).isTrue();

    askToEnd(pi, AccessProcess.MESSAGE_CANCEL, "alice", "cancelled by the requester");
    runJob(pi);

    assertThat(pi).isEnded().hasPassed(AccessProcess.TASK_REVOKE);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE)))
        .as("standing membership is not Portcullis' to remove")
        .isTrue();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(detailsOf(pi, "access.revoked"))
        .contains("\"accessRemoved\":false")
        .contains("standing access");
  }

  @Test
  void theRevokeOfAGrantNeverConfirmedLeavesAccessThatAnotherGrantGives() {
    ProcessInstance first = approved("alice", "staging-db-admin", "PT1H");
    runJob(first); // the check, and the clock
    runJob(first); // the grant
    Assertions.assertThat(request(first).status()).isEqualTo(RequestStatus.ACTIVE);
    ProcessInstance second = approved("alice", "staging-db-admin", "PT2H");
    runJob(second); // its check, and its clock: from now on its grant may reach the directory

    askToEnd(second, AccessProcess.MESSAGE_REVOKE, "alice", "not needed after all");
    runJob(second);

    assertThat(second).isEnded();
    Assertions.assertThat(request(second).status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING)))
        .as("the first grant still needs it")
        .isTrue();
    Assertions.assertThat(detailsOf(second, "access.revoked"))
        .contains("\"accessRemoved\":false")
        .contains("another live grant");
  }

  @Test
  void aRequestWhoseGrantWasAttemptedIsNeverClosedWithoutTheRevoke() {
    ProcessInstance pi = grantFailsAndIsAppliedLate("PT1H");

    // an admin moves the token to the cancel end, as Cockpit's modification allows
    identity.setAuthentication("dave", List.of("portcullis-admins"));
    try {
      assertThatThrownBy(
              () ->
                  runtime
                      .createProcessInstanceModification(pi.getId())
                      .startBeforeActivity("endEvent_requestCancelled")
                      .cancelAllForActivity(AccessProcess.SUBPROCESS_GRANT)
                      .execute())
          .satisfies(
              e ->
                  Assertions.assertThat(Throwables.getRootCause(e))
                      .isInstanceOf(StepNotOwedException.class)
                      .hasMessageContaining("ends through the revoke"));
    } finally {
      identity.clearAuthentication();
    }

    assertThat(pi).isWaitingAt(AccessProcess.TASK_GRANT);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.PENDING);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE))).isTrue();
    Assertions.assertThat(auditOf(pi)).endsWith("action.refused by dave");
  }

  @Test
  void aRevokeAskedBeforeTheAccessClockStartedFindsNothingToEnd() {
    // waiting at the standing-access check, whose transaction starts the clock
    ProcessInstance pi = approved("alice", "staging-db-admin", "PT1H");
    Assertions.assertThatThrownBy(
            () ->
                runtime
                    .createMessageCorrelation(AccessProcess.MESSAGE_REVOKE)
                    .processInstanceId(pi.getId())
                    .correlate())
        .isInstanceOf(MismatchingMessageCorrelationException.class);
    Assertions.assertThat(request(pi).grantAttemptedAt()).isNull();
  }

  // --- helpers

  /**
   * Alice asks for the unreliable group for {@code duration}, bob approves, the access clock starts
   * at T0, and the first grant fails; the directory then holds alice all the same, as after a write
   * that it applied once the client had timed out.
   */
  private ProcessInstance grantFailsAndIsAppliedLate(String duration) {
    createUnreliableTarget(false);
    ProcessInstance pi = approved("alice", "unreliable-group", duration);
    runJob(pi); // the check: alice holds nothing; and the clock
    assertThatThrownBy(() -> runJob(pi)).hasMessageContaining("could not add alice");
    createUnreliableTarget(true, ALICE);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE))).isTrue();
    assertThat(pi).isWaitingAt(AccessProcess.TASK_GRANT);
    return pi;
  }

  private long grantJobs(ProcessInstance pi) {
    return management
        .createJobQuery()
        .processInstanceId(pi.getId())
        .activityId(AccessProcess.TASK_GRANT)
        .count();
  }

  private String detailsOf(ProcessInstance pi, String action) {
    return jdbc.queryForObject(
        "select details from audit_event where request_id = ? and action = ?",
        String.class,
        pi.getBusinessKey(),
        action);
  }
}
