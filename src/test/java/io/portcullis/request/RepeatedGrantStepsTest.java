package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The grant's steps run again after the grant's side effect happened (a lost commit, an operator
 * moving the token back to "Check standing access", an incident retried): Portcullis' own
 * membership is never taken for standing access, so the expiry still removes it.
 *
 * <p>A lost commit is the grant job run inside a transaction that is then rolled back: the
 * directory keeps the member, the database forgets the step, exactly as a process killed between
 * the connector call and the commit leaves it.
 */
@PortcullisTest
class RepeatedGrantStepsTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";

  @Autowired LdapGroupConnector ldapGroups;
  @Autowired PlatformTransactionManager transactions;

  @AfterEach
  void revokeWhatTheTestsGranted() {
    ldapGroups.revoke(Username.of("alice"), Target.of(STAGING));
  }

  @Test
  void grantWhoseCommitWasLost_thenTheCheckRunAgain_thenTheExpiryStillRemovesTheAccess() {
    ProcessInstance pi = approved("alice", "staging-db-admin", "PT1H");
    runJob(pi); // check: alice holds nothing; the access clock starts in its transaction
    Assertions.assertThat(request(pi).accessPreexisted()).isFalse();

    runJobAndLoseItsCommit(pi); // the grant reached the directory; its commit did not survive
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    assertThat(pi).isWaitingAt(AccessProcess.TASK_GRANT);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.PENDING);

    // an operator, seeing a pending request whose person is already a member, starts it over from
    // the check
    runtime
        .createProcessInstanceModification(pi.getId())
        .cancelAllForActivity(AccessProcess.SUBPROCESS_GRANT)
        .startBeforeActivity(AccessProcess.TASK_CHECK_STANDING)
        .execute();
    runJob(pi); // the check again (it sees the membership of the lost grant), and the clock again
    Assertions.assertThat(request(pi).accessPreexisted()).as("the first answer is kept").isFalse();
    Assertions.assertThat(request(pi).grantAttemptedAt()).isEqualTo(T0);
    runJob(pi); // the grant again: idempotent

    expireAndRevoke(pi);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING)))
        .as("Portcullis' own grant is removed at expiry")
        .isFalse();
    Assertions.assertThat(actionsOf(pi))
        .containsExactly("access.requested", "access.decided", "access.granted", "access.expired");
    Assertions.assertThat(
            jdbc.queryForObject(
                "select details from audit_event where request_id = ? and action = 'access.expired'",
                String.class,
                pi.getBusinessKey()))
        .contains("\"accessRemoved\":true");
  }

  @Test
  void
      grantWhoseCommitWasLost_thenAnotherRequestOfTheSamePersonIsChecked_thenTheLastExpiryStillRemovesTheAccess() {
    ProcessInstance first = approved("alice", "staging-db-admin", "PT1H");
    runJob(first); // the first's check: alice holds nothing; and its access clock
    ProcessInstance second = approved("alice", "staging-db-admin", "PT1H");

    runJobAndLoseItsCommit(
        first); // the first's grant reached the directory; its node died before the commit
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    Assertions.assertThat(request(first).status()).isEqualTo(RequestStatus.PENDING);

    // another node checks the second request while the first's grant job waits for the dead node's
    // lock to expire
    runJob(second); // and the second's access clock
    Assertions.assertThat(request(second).accessPreexisted())
        .as("the first request's own grant is not standing access")
        .isFalse();
    runJob(first); // the first's grant again: idempotent
    runJob(second); // the second's grant
    Assertions.assertThat(request(first).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(request(second).status()).isEqualTo(RequestStatus.ACTIVE);

    moveClockTo(request(first).expiresAt());
    runJob(first); // the first's timer
    runJob(first); // the first's revoke: the second still needs the access
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    moveClockTo(request(second).expiresAt());
    runJob(second); // the second's timer
    runJob(second); // the second's revoke: nothing needs it any more
    assertThat(first).isEnded();
    assertThat(second).isEnded();
    Assertions.assertThat(request(second).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING)))
        .as("Portcullis' own grants are removed at the last expiry")
        .isFalse();
    Assertions.assertThat(
            jdbc.queryForObject(
                "select details from audit_event where request_id = ? and action = 'access.expired'",
                String.class,
                second.getBusinessKey()))
        .contains("\"accessRemoved\":true");
  }

  @Test
  void checkAndClockWhoseCommitWasLost_runAgainWhole_andTheTimeCountsFromTheAttemptThatCommitted() {
    ProcessInstance pi = approved("alice", "staging-db-admin", "PT1H");
    // the check and the access clock share one transaction: its node died before the commit
    runJobAndLoseItsCommit(pi);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    Assertions.assertThat(request(pi).grantAttemptedAt())
        .as("no clock without its commit")
        .isNull();
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING)))
        .as("nothing was attempted")
        .isFalse();

    Instant retried = T0.plus(Duration.ofMinutes(2));
    moveClockTo(retried);
    runJob(pi); // both again, once
    assertThat(pi).isWaitingAt(AccessProcess.TASK_GRANT);
    AccessRequest started = request(pi);
    Assertions.assertThat(started.accessPreexisted()).isFalse();
    Assertions.assertThat(started.grantAttemptedAt()).isEqualTo(retried);
    Assertions.assertThat(started.expiresAt()).isEqualTo(retried.plus(Duration.ofHours(1)));
    runJob(pi); // the grant
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(actionsOf(pi))
        .containsExactly("access.requested", "access.decided", "access.granted");
  }

  @Test
  void checkRunAgainWhileTheGrantIsLive_thenTheAnswerStaysAndTheExpiryRemovesTheAccess() {
    ProcessInstance pi = approved("alice", "staging-db-admin", "PT1H");
    runJob(pi); // check, and the access clock
    runJob(pi); // grant
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    Instant expiresAt = request(pi).expiresAt();

    // an operator runs the check once more beside the wait for expiry (Cockpit: "start before")
    runtime
        .createProcessInstanceModification(pi.getId())
        .startBeforeActivity(AccessProcess.TASK_CHECK_STANDING)
        .execute();
    Job check = jobAt(pi, AccessProcess.TASK_CHECK_STANDING);
    // no grant is owed to an ACTIVE request: the check is refused before it asks the directory
    // anything
    assertThatThrownBy(() -> management.executeJob(check.getId()))
        .isInstanceOf(StepNotOwedException.class)
        .hasMessageContaining("is ACTIVE; no grant is owed");
    Assertions.assertThat(request(pi).accessPreexisted()).as("the first answer is kept").isFalse();
    runtime
        .createProcessInstanceModification(pi.getId())
        .cancelAllForActivity(AccessProcess.TASK_CHECK_STANDING)
        .execute();

    moveClockTo(expiresAt);
    management.executeJob(
        management.createJobQuery().processInstanceId(pi.getId()).timers().singleResult().getId());
    runJob(pi); // the revoke
    assertThat(pi).isEnded();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void grantWithNoStandingAccessCheckOnRecord_thenNothingIsGranted() {
    ProcessInstance pi = approved("alice", "staging-db-admin", "PT1H");
    // an operator moves the token past the check: to the access clock (which runs in the move's
    // own transaction, as it runs in the check's), then (with the date its timer needs) to the
    // grant
    assertThatThrownBy(
            () ->
                runtime
                    .createProcessInstanceModification(pi.getId())
                    .cancelAllForActivity(AccessProcess.TASK_CHECK_STANDING)
                    .startBeforeActivity(AccessProcess.TASK_START_CLOCK)
                    .execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no standing-access check on record");
    Assertions.assertThat(request(pi).grantAttemptedAt())
        .as("no clock starts without the check")
        .isNull();

    runtime.setVariable(
        pi.getId(), AccessProcess.EXPIRES_AT, Date.from(T0.plus(Duration.ofHours(1))));
    runtime
        .createProcessInstanceModification(pi.getId())
        .cancelAllForActivity(AccessProcess.TASK_CHECK_STANDING)
        .startBeforeActivity(AccessProcess.TASK_GRANT)
        .execute();
    assertThatThrownBy(() -> runJob(pi))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no standing-access check on record");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.PENDING);
  }

  @Test
  void revokeWhoseCommitWasLost_runsAgainAndEndsTheRequestOnce() {
    ProcessInstance pi = approved("alice", "staging-db-admin", "PT1H");
    runJob(pi); // check, and the access clock
    runJob(pi); // grant
    moveClockTo(request(pi).expiresAt());
    runJob(pi); // the timer
    runJobAndLoseItsCommit(pi); // the revoke reached the directory; its commit did not survive
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);

    runJob(pi); // the revoke again: idempotent
    assertThat(pi).isEnded();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(actionsOf(pi))
        .containsExactly("access.requested", "access.decided", "access.granted", "access.expired");
  }

  // --- helpers

  private void expireAndRevoke(ProcessInstance pi) {
    AccessRequest active = request(pi);
    Assertions.assertThat(active.status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(active.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    moveClockTo(active.expiresAt());
    runJob(pi); // the timer
    runJob(pi); // the revoke
    assertThat(pi).isEnded();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
  }

  /**
   * Runs the instance's due job in a transaction that is rolled back: its side effects stay, its
   * commit is lost.
   */
  private void runJobAndLoseItsCommit(ProcessInstance pi) {
    String jobId = dueJob(pi).getId();
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            tx -> {
              management.executeJob(jobId);
              tx.setRollbackOnly();
            });
  }
}
