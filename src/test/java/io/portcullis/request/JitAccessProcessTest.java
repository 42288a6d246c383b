package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.portcullis.approval.ApprovalProcess;
import io.portcullis.approval.ApprovalRefusedException;
import io.portcullis.approval.Decision;
import io.portcullis.approval.FormRows;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.jobs.PortcullisHistoryLevel;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.StepRefusedException;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import io.portcullis.support.RequestTables;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.assertj.core.util.Throwables;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * Every path of processes/jit-access.bpmn, with real delegates, the real read model and the
 * embedded directory. The job executor is off: each test runs the jobs itself and moves the engine
 * clock.
 */
@PortcullisTest
class JitAccessProcessTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";

  @Autowired LdapGroupConnector ldapGroups;
  private FormRows lastEarlierRequests;

  @AfterEach
  void revokeWhatTheTestsGranted() {
    for (String user : List.of("alice", "bob", "erin")) {
      ldapGroups.revoke(Username.of(user), Target.of(STAGING));
    }
  }

  @Test
  void approvedAccessIsGrantedAndRevokedWhenItExpires() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");
    assertThat(pi).isWaitingAt(ApprovalProcess.TASK_APPROVE);
    assertThat(task(pi)).hasCandidateGroup("team-leads");
    Assertions.assertThat(
            ((FormRows) tasks.getVariableLocal(task(pi).getId(), AccessProcess.HISTORY)).rows())
        .extracting(row -> row.get("action") + " by " + row.get("by"))
        .containsExactly("access.requested by alice");
    Assertions.assertThat(tasks.getVariableLocal(task(pi).getId(), AccessProcess.EARLIER_REQUESTS))
        .as("no earlier request by alice for staging-db-admin: an empty table is not written")
        .isNull();
    assertStatus(pi, RequestStatus.PENDING);

    decide(pi, "bob", List.of("developers", "team-leads"), "approve", "ok for the migration");
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    Assertions.assertThat(request(pi).grantAttemptedAt())
        .as("nothing can have reached the directory yet")
        .isNull();
    runJob(pi); // the standing-access check, and the access clock in its transaction
    assertThat(pi).hasPassed(AccessProcess.TASK_START_CLOCK).isWaitingAt(AccessProcess.TASK_GRANT);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    AccessRequest clockStarted = request(pi);
    Assertions.assertThat(clockStarted.status()).isEqualTo(RequestStatus.PENDING);
    Assertions.assertThat(clockStarted.grantAttemptedAt()).isEqualTo(T0);
    Assertions.assertThat(clockStarted.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    runJob(pi);

    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    AccessRequest active = request(pi);
    Assertions.assertThat(active.status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(active.grantedAt()).isEqualTo(T0);
    Assertions.assertThat(active.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    Assertions.assertThat(chain(pi).decisions())
        .singleElement()
        .satisfies(
            d -> {
              Assertions.assertThat(d.approver().value()).isEqualTo("bob");
              Assertions.assertThat(d.decision()).isEqualTo(Decision.Verdict.APPROVE);
              Assertions.assertThat(d.comment()).isEqualTo("ok for the migration");
            });
    Assertions.assertThat(onlyJob(pi).getId())
        .as("the expiry timer is the one job left")
        .isEqualTo(timer(pi, "timerEvent_accessExpired").getId());
    Job expiry = onlyJob(pi);
    Assertions.assertThat(expiry.getDuedate().toInstant()).isEqualTo(active.expiresAt());

    // one second before expiry nothing is due; at expiry the timer fires and the revoke runs
    moveClockTo(active.expiresAt().minusSeconds(1));
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(pi.getId()).executable().count())
        .isZero();
    moveClockTo(active.expiresAt());
    runJob(pi);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_REVOKE);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    runJob(pi);

    assertThat(pi).isEnded().hasPassed("timerEvent_accessExpired", "endEvent_accessEnded");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
    AccessRequest ended = request(pi);
    Assertions.assertThat(ended.status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(ended.endedAt()).isEqualTo(active.expiresAt());
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by alice",
            "access.decided by bob",
            "access.granted by system",
            "access.expired by system");
    Assertions.assertThat(
            jdbc.queryForList(
                "select event_time from audit_event where request_id = ? and action in "
                    + "('access.granted', 'access.expired') order by id",
                OffsetDateTime.class,
                pi.getBusinessKey()))
        .extracting(OffsetDateTime::toInstant)
        .containsExactly(active.grantedAt(), active.expiresAt());
  }

  @Test
  void deniedRequestEndsWithoutAccess() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");
    decide(pi, "bob", List.of("team-leads"), "deny", "use the read replica");

    assertThat(pi)
        .isEnded()
        .hasPassed("endEvent_requestDenied")
        .hasNotPassed(AccessProcess.TASK_GRANT);
    AccessRequest denied = request(pi);
    Assertions.assertThat(denied.status()).isEqualTo(RequestStatus.DENIED);
    Assertions.assertThat(denied.endedBy()).isEqualTo("bob");
    Assertions.assertThat(denied.endReason()).isEqualTo("use the read replica");
    Assertions.assertThat(chain(pi).decisions())
        .extracting(Decision::decision)
        .containsExactly(Decision.Verdict.DENY);
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by alice", "access.decided by bob", "access.denied by bob");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void requestWithNoDecisionLapsesAtTheStagesDeadline() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");
    Job timeout = timer(pi, ApprovalProcess.TIMER_DEADLINE);
    Assertions.assertThat(timeout.getDuedate().toInstant())
        .isEqualTo(T0.plus(Duration.ofHours(24)));
    // the reminder is due first (PT4H): it escalates; nobody decides still
    moveClockTo(T0.plus(Duration.ofHours(4)));
    management.executeJob(timer(pi, ApprovalProcess.TIMER_REMINDER).getId());
    runJobAt(pi, ApprovalProcess.TASK_ESCALATE);

    moveClockTo(T0.plus(Duration.ofHours(24)).minusSeconds(1));
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(pi.getId()).executable().count())
        .isZero();
    moveClockTo(T0.plus(Duration.ofHours(24)));
    management.executeJob(timer(pi, ApprovalProcess.TIMER_DEADLINE).getId());

    assertThat(pi).isEnded().hasPassed("endEvent_requestLapsed");
    AccessRequest lapsed = request(pi);
    Assertions.assertThat(lapsed.status()).isEqualTo(RequestStatus.LAPSED);
    Assertions.assertThat(lapsed.endReason())
        .isEqualTo("no decision at stage 1 (team-leads) within PT24H");
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by alice", "approval.escalated by system", "access.lapsed by system");
    Assertions.assertThat(tasks.createTaskQuery().processInstanceId(pi.getId()).count()).isZero();
  }

  @Test
  void onlyPortcullisEndsOrMovesTheApprovalTask_throughTheJavaApi() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");
    String task = task(pi).getId();
    List<String> approver = List.of("developers", "team-leads");
    List<Executable> steering =
        List.of(
            () -> tasks.handleBpmnError(task, "RequestLapsed"),
            () -> tasks.handleBpmnError(task, "AccessDenied", "denied", Map.of()),
            () -> tasks.handleBpmnError(task, "NoSuchCode"),
            () -> tasks.handleEscalation(task, "anything"),
            () -> tasks.claim(task, "alice"),
            () -> tasks.setAssignee(task, "alice"),
            () -> tasks.setOwner(task, "bob"),
            () -> tasks.delegateTask(task, "carol"),
            () -> tasks.resolveTask(task),
            () -> tasks.addCandidateGroup(task, "developers"),
            () -> tasks.deleteCandidateGroup(task, "team-leads"),
            () -> tasks.addUserIdentityLink(task, "alice", "assignee"),
            () -> tasks.setName(task, "Approve nothing"));
    for (Executable attempt : steering) {
      as(
          "bob",
          approver,
          () ->
              assertThatThrownBy(attempt::execute)
                  .isInstanceOf(AuthorizationException.class)
                  .hasMessageStartingWith("Only an administrator"));
    }
    assertThat(pi).isWaitingAt(ApprovalProcess.TASK_APPROVE);
    Assertions.assertThat(refusalsOf(pi)).isEqualTo(steering.size());

    // for oneself only: bob takes it; another approver can neither take it from him nor give it
    // back for him
    as("bob", approver, () -> tasks.claim(task, "bob"));
    as(
        "zoe",
        List.of("team-leads"),
        () -> {
          assertThatThrownBy(() -> tasks.setAssignee(task, "zoe"))
              .isInstanceOf(AuthorizationException.class);
          assertThatThrownBy(() -> tasks.claim(task, null))
              .isInstanceOf(AuthorizationException.class);
        });
    Assertions.assertThat(task(pi).getAssignee()).isEqualTo("bob");
    as("bob", approver, () -> tasks.claim(task, null));
    Assertions.assertThat(task(pi).getAssignee()).isNull();
    assertStatus(pi, RequestStatus.PENDING);
    Assertions.assertThat(auditOf(pi)).containsExactly("access.requested by alice");
  }

  @Test
  void anAdminWhoThrowsTheLapseBeforeTheDeadline_cancelsTheRequestInTheirOwnName() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");
    moveClockTo(T0.plus(Duration.ofHours(2)));

    as(
        "dave",
        List.of("portcullis-admins"),
        () -> tasks.handleBpmnError(task(pi).getId(), "RequestLapsed"));

    assertThat(pi).isEnded().hasPassed("endEvent_requestLapsed");
    AccessRequest ended = request(pi);
    Assertions.assertThat(ended.status())
        .as("nothing lapsed: the deadline was 22 hours away")
        .isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(ended.endedBy()).isEqualTo("dave");
    Assertions.assertThat(ended.endReason())
        .isEqualTo(
            "ended by hand as lapsed before its deadline (stage 1 (team-leads) lapses at "
                + T0.plus(Duration.ofHours(24))
                + "); nobody decided");
    Assertions.assertThat(auditOf(pi))
        .containsExactly("access.requested by alice", "access.cancelled by dave");
    Assertions.assertThat(steeredBy("dave", pi)).containsExactly("HandleTaskBpmnErrorCmd");
  }

  @Test
  void anAdminWhoThrowsTheDenialWithoutADeny_cancelsTheRequestInTheirOwnName() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");

    as(
        "dave",
        List.of("portcullis-admins"),
        () -> tasks.handleBpmnError(task(pi).getId(), "AccessDenied"));

    assertThat(pi).isEnded().hasPassed("endEvent_requestDenied");
    AccessRequest ended = request(pi);
    Assertions.assertThat(ended.status()).as("nobody denied").isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(ended.endedBy()).isEqualTo("dave");
    Assertions.assertThat(ended.endReason())
        .isEqualTo("ended by hand as denied, though no approver denied it");
    Assertions.assertThat(auditOf(pi))
        .containsExactly("access.requested by alice", "access.cancelled by dave");
  }

  @Test
  void anAdminWhoEndsAStageAfterItsDeadline_lapsesItAndIsNamed() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");
    moveClockTo(T0.plus(Duration.ofHours(24)));

    as(
        "dave",
        List.of("portcullis-admins"),
        () -> tasks.handleBpmnError(task(pi).getId(), "RequestLapsed"));

    AccessRequest ended = request(pi);
    Assertions.assertThat(ended.status()).isEqualTo(RequestStatus.LAPSED);
    Assertions.assertThat(ended.endedBy()).isEqualTo("dave");
    Assertions.assertThat(ended.endReason())
        .isEqualTo("no decision at stage 1 (team-leads) within PT24H");
    Assertions.assertThat(auditOf(pi))
        .containsExactly("access.requested by alice", "access.lapsed by dave");
  }

  @Test
  void requesterCancelsWhilePending() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");
    askToEnd(pi, AccessProcess.MESSAGE_CANCEL, "alice", "cancelled by the requester");

    assertThat(pi).isEnded().hasPassed("endEvent_requestCancelled");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(request(pi).endedBy()).isEqualTo("alice");
    Assertions.assertThat(auditOf(pi))
        .containsExactly("access.requested by alice", "access.cancelled by alice");
  }

  @Test
  void earlyRevokeEndsActiveAccessNow() {
    ProcessInstance pi = grantedRequest("alice", "PT8H");
    moveClockTo(T0.plus(Duration.ofMinutes(10)));

    askToEnd(pi, AccessProcess.MESSAGE_REVOKE, "dave", "incident closed");
    assertThat(pi).isWaitingAt(AccessProcess.TASK_REVOKE);
    Assertions.assertThat(request(pi).status())
        .as("ACTIVE until the target confirms")
        .isEqualTo(RequestStatus.ACTIVE);
    runJob(pi);

    assertThat(pi)
        .isEnded()
        .hasPassed("messageEvent_revokeRequested")
        .hasNotPassed("timerEvent_accessExpired");
    AccessRequest revoked = request(pi);
    Assertions.assertThat(revoked.status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(revoked.endedBy()).isEqualTo("dave");
    Assertions.assertThat(revoked.endReason()).isEqualTo("incident closed");
    Assertions.assertThat(revoked.endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    Assertions.assertThat(auditOf(pi))
        .endsWith("access.granted by system", "access.revoked by dave");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void requesterCannotApproveTheirOwnRequestThroughAnyDoor() {
    ProcessInstance pi = request("bob", "staging-db-admin", "PT1H");
    Task approval = tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult();

    // bob is in team-leads, so the engine lets him work on the task: the process's guard refuses
    // him
    assertThatThrownBy(
            () -> decide(pi, "bob", List.of("developers", "team-leads"), "approve", null))
        .isInstanceOf(ProcessEngineException.class)
        .hasRootCauseInstanceOf(ApprovalRefusedException.class)
        .hasMessageContaining("cannot decide on their own request");
    assertThatThrownBy(() -> decide(pi, "bob", List.of("team-leads"), "deny", null))
        .hasRootCauseInstanceOf(ApprovalRefusedException.class);
    // outside the approver group the engine's own authorizations refuse first
    assertThatThrownBy(() -> decide(pi, "erin", List.of("developers"), "approve", null))
        .isInstanceOf(AuthorizationException.class)
        .hasMessageContaining("'erin'");
    // admins pass every engine authorization: the guard still refuses them outside the approver
    // group
    assertThatThrownBy(() -> decide(pi, "dave", List.of("portcullis-admins"), "approve", null))
        .hasRootCauseInstanceOf(ApprovalRefusedException.class)
        .hasMessageContaining("dave is not in the approver group team-leads");
    assertThatThrownBy(
            () -> tasks.complete(approval.getId(), Map.of(ApprovalProcess.DECISION, "approve")))
        .hasRootCauseInstanceOf(ApprovalRefusedException.class)
        .hasMessageContaining("authenticated approver");
    assertThatThrownBy(() -> decide(pi, "zoe", List.of("team-leads"), "maybe", null))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("decision: must be 'approve' or 'deny'");

    assertThat(pi).isWaitingAt(ApprovalProcess.TASK_APPROVE);
    Assertions.assertThat(chain(pi).decisions()).isEmpty();
    // each refusal is kept although the refused step rolled back; erin's never reached the process
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by bob",
            "action.refused by bob",
            "action.refused by bob",
            "action.refused by dave");
  }

  @Test
  void anApproverWithAPendingRequestOfTheirOwnStillDecidesOnOthers() {
    ProcessInstance bobs = request("bob", "staging-db-admin", "PT1H");
    ProcessInstance alices = request("alice", "staging-db-admin", "PT1H");

    decide(alices, "bob", List.of("developers", "team-leads"), "approve", null);

    assertThat(alices).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    assertThat(bobs).isWaitingAt(ApprovalProcess.TASK_APPROVE);
  }

  @Test
  void invalidRequestsNeverStartAProcess() {
    assertThatThrownBy(() -> request("alice", "staging-db-admin", "PT9H"))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("duration: must be at most PT8H");
    assertThatThrownBy(() -> request("alice", "no-such-thing", "PT1H"))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("resource: no resource 'no-such-thing'");
    assertThatThrownBy(() -> request("alice", "staging-db-admin", "PT30S"))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("duration: must be at least PT1M");
    assertThatThrownBy(
            () ->
                runtime.startProcessInstanceByKey(
                    AccessProcess.KEY, variables("staging-db-admin", "PT1H")))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("authenticated user");
    identity.setAuthentication("alice", List.of("developers"));
    try {
      assertThatThrownBy(
              () ->
                  runtime.startProcessInstanceByKey(
                      AccessProcess.KEY, "../../etc", variables("staging-db-admin", "PT1H")))
          .hasRootCauseInstanceOf(InvalidInputException.class)
          .hasMessageContaining("businessKey");
      Map<String, Object> numeric = variables("staging-db-admin", "PT1H");
      numeric.put(AccessProcess.RESOURCE, 42);
      assertThatThrownBy(() -> runtime.startProcessInstanceByKey(AccessProcess.KEY, numeric))
          .hasRootCauseInstanceOf(InvalidInputException.class)
          .hasMessageContaining("resource: must be text");
    } finally {
      identity.clearAuthentication();
    }
    Assertions.assertThat(
            runtime.createProcessInstanceQuery().processDefinitionKey(AccessProcess.KEY).count())
        .isZero();
  }

  @Test
  void failingGrantIsRetriedThenBecomesAnIncidentAndSucceedsOnceRepaired() {
    createUnreliableTarget(false);
    ProcessInstance pi = request("alice", "unreliable-group", "PT1H");
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    runJob(pi); // the standing-access check reads the target and passes; the access clock starts

    // the directory refuses the member: each failure is retried a minute later, then an incident
    int attempts = 0;
    while (runtime.createIncidentQuery().processInstanceId(pi.getId()).count() == 0) {
      Job grant = jobAt(pi, AccessProcess.TASK_GRANT);
      Assertions.assertThat(grant.getDuedate()).isBeforeOrEqualTo(ClockUtil.getCurrentTime());
      assertThatThrownBy(() -> management.executeJob(grant.getId())).isInstanceOf(Exception.class);
      attempts++;
      Assertions.assertThat(attempts).as("attempts before the incident").isLessThanOrEqualTo(3);
      moveClockTo(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofMinutes(1)));
    }
    Assertions.assertThat(attempts).isEqualTo(3);
    Incident incident = runtime.createIncidentQuery().processInstanceId(pi.getId()).singleResult();
    Assertions.assertThat(incident.getActivityId()).isEqualTo(AccessProcess.TASK_GRANT);
    Assertions.assertThat(incident.getIncidentMessage()).contains("could not add alice");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.FAILED);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(UNRELIABLE))).isFalse();

    // an operator repairs the group and retries (Cockpit: "increment retries"): granted, once
    createUnreliableTarget(true);
    Job grant = jobAt(pi, AccessProcess.TASK_GRANT);
    management.setJobRetries(grant.getId(), 1);
    Assertions.assertThat(request(pi).status())
        .as("incident resolved: the grant is pending again")
        .isEqualTo(RequestStatus.PENDING);
    management.executeJob(grant.getId());

    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(memberValues(UNRELIABLE))
        .filteredOn(m -> m.startsWith("uid=alice,"))
        .hasSize(1);
    // every failed attempt is on record with the retries left; the granted event only once, when it
    // took
    Assertions.assertThat(auditOf(pi))
        .containsExactly(
            "access.requested by alice",
            "access.decided by bob",
            "connector.failed by system",
            "connector.failed by system",
            "connector.failed by system",
            "incident.created by system",
            "incident.resolved by system",
            "access.granted by system");
    Assertions.assertThat(
            jdbc.queryForList(
                "select details from audit_event where request_id = ? and action = 'connector.failed' "
                    + "order by id",
                String.class,
                pi.getBusinessKey()))
        .satisfiesExactly(
            d -> Assertions.assertThat(d).contains("\"retriesLeft\":2"),
            d -> Assertions.assertThat(d).contains("\"retriesLeft\":1"),
            d ->
                Assertions.assertThat(d)
                    .contains("\"retriesLeft\":0")
                    .contains("could not add alice"));
    Assertions.assertThat(runtime.createIncidentQuery().processInstanceId(pi.getId()).count())
        .isZero();
    // the engine's history level (jobs/PortcullisHistoryLevel) keeps the failed attempts and the
    // incident
    Assertions.assertThat(
            jdbc.queryForObject(
                "select count(*) from act_hi_job_log where process_instance_id_ = ? and act_id_ = ? "
                    + "and job_state_ = 1",
                Long.class,
                pi.getId(),
                AccessProcess.TASK_GRANT))
        .as("failed attempts")
        .isEqualTo(3);
    Assertions.assertThat(
            jdbc.queryForList(
                "select activity_id_ from act_hi_incident where proc_inst_id_ = ? and end_time_ is not null",
                String.class,
                pi.getId()))
        .containsExactly(AccessProcess.TASK_GRANT);
  }

  /**
   * The engine keeps the history that Portcullis and its tests read (process, activity and task
   * instances, the job log) and none of the variable, decision, identity-link and user-operation
   * history that {@code full} wrote (issue 14).
   */
  @Test
  void theEngineKeepsOnlyTheHistoryThatPortcullisReads() {
    Assertions.assertThat(
            ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                .getHistoryLevel())
        .isSameAs(PortcullisHistoryLevel.INSTANCE);
    Assertions.assertThat(
            jdbc.queryForObject(
                "select value_ from act_ge_property where name_ = 'historyLevel'", String.class))
        .isEqualTo("26");
    ProcessInstance pi = grantedRequest("alice", "PT1H");
    moveClockTo(request(pi).expiresAt());
    runJob(pi);
    runJob(pi);
    assertThat(pi)
        .isEnded()
        .hasPassed(AccessProcess.TASK_GRANT, "timerEvent_accessExpired", AccessProcess.TASK_REVOKE);

    Assertions.assertThat(historyRows("act_hi_procinst", "proc_inst_id_", pi)).isEqualTo(1);
    Assertions.assertThat(historyRows("act_hi_actinst", "root_proc_inst_id_", pi)).isPositive();
    Assertions.assertThat(historyRows("act_hi_taskinst", "root_proc_inst_id_", pi)).isPositive();
    Assertions.assertThat(historyRows("act_hi_job_log", "root_proc_inst_id_", pi)).isPositive();
    Assertions.assertThat(historyRows("act_hi_identitylink", "root_proc_inst_id_", pi)).isZero();
    Assertions.assertThat(historyRows("act_hi_op_log", "root_proc_inst_id_", pi)).isZero();
    // the approval policy (DMN) was evaluated and variables were set, here and in every test of
    // this database
    for (String table :
        List.of(
            "act_hi_varinst",
            "act_hi_detail",
            "act_hi_decinst",
            "act_hi_dec_in",
            "act_hi_dec_out")) {
      Assertions.assertThat(jdbc.queryForObject("select count(*) from " + table, Long.class))
          .as(table)
          .isZero();
    }
  }

  @Test
  void grantsOverlapSafely() {
    ProcessInstance first = grantedRequest("alice", "PT1H");
    ProcessInstance second = grantedRequest("alice", "PT2H");
    Assertions.assertThat(lastEarlierRequests.rows())
        .as("the approver sees alice's earlier request, a row of its own")
        .containsExactly(
            Map.of(
                "requestedAt",
                T0.toString(),
                "duration",
                "PT1H",
                "status",
                "ACTIVE",
                "justification",
                "deploying release 42"));
    Assertions.assertThat(request(second).accessPreexisted())
        .as("another Portcullis grant is not standing access")
        .isFalse();

    moveClockTo(T0.plus(Duration.ofHours(1)));
    runJob(first);
    runJob(first);
    assertThat(first).isEnded();
    Assertions.assertThat(request(first).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING)))
        .as("the second grant still needs it")
        .isTrue();
    Assertions.assertThat(
            jdbc.queryForObject(
                "select details from audit_event where request_id = ? and action = 'access.expired'",
                String.class,
                first.getBusinessKey()))
        .contains("\"accessRemoved\":false")
        .contains("another live grant");

    moveClockTo(T0.plus(Duration.ofHours(2)));
    runJob(second);
    runJob(second);
    assertThat(second).isEnded();
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void standingMembershipSurvivesTheExpiryOfAGrant() {
    ldapGroups.grant(Username.of("erin"), Target.of(STAGING));
    ProcessInstance pi = grantedRequest("erin", "PT1H");
    Assertions.assertThat(request(pi).accessPreexisted()).isTrue();

    moveClockTo(T0.plus(Duration.ofHours(1)));
    runJob(pi);
    runJob(pi);

    assertThat(pi).isEnded();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(ldapGroups.holds(Username.of("erin"), Target.of(STAGING)))
        .as("standing membership is not Portcullis' to remove")
        .isTrue();
  }

  @Test
  void standingMembershipSurvivesTheExpiryOfTwoOverlappingGrants() {
    ldapGroups.grant(Username.of("erin"), Target.of(STAGING));
    ProcessInstance first = grantedRequest("erin", "PT1H");
    ProcessInstance second = grantedRequest("erin", "PT2H");
    Assertions.assertThat(request(first).accessPreexisted()).isTrue();
    Assertions.assertThat(request(second).accessPreexisted())
        .as("the standing membership is still what was there before")
        .isTrue();

    moveClockTo(T0.plus(Duration.ofHours(1)));
    runJob(first);
    runJob(first);
    moveClockTo(T0.plus(Duration.ofHours(2)));
    runJob(second);
    runJob(second);

    assertThat(first).isEnded();
    assertThat(second).isEnded();
    Assertions.assertThat(request(second).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(ldapGroups.holds(Username.of("erin"), Target.of(STAGING)))
        .as("standing membership is not Portcullis' to remove")
        .isTrue();
  }

  @Test
  void anOperatorWhoDeletesAnActiveInstanceStillEndsItsAccess() {
    ProcessInstance pi = grantedRequest("alice", "PT8H");

    // as Cockpit's "cancel" can: skipping custom listeners and input/output mappings
    identity.setAuthentication("dave", List.of("portcullis-admins"));
    runtime.deleteProcessInstance(pi.getId(), "cleaning up", true, true);
    identity.clearAuthentication();

    assertThat(pi).isEnded();
    ProcessInstance owed =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey(AccessProcess.REVOCATION_KEY)
            .processInstanceBusinessKey(pi.getBusinessKey())
            .singleResult();
    assertThat(owed).isWaitingAt(AccessProcess.TASK_REVOKE);
    Assertions.assertThat(request(pi).status())
        .as("ACTIVE until the directory confirms")
        .isEqualTo(RequestStatus.ACTIVE);

    // deleting the owed revoke as well does not drop it
    identity.setAuthentication("dave", List.of("portcullis-admins"));
    runtime.deleteProcessInstance(owed.getId(), "not now", true, true);
    identity.clearAuthentication();
    assertThat(owed).isEnded();
    owed =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey(AccessProcess.REVOCATION_KEY)
            .processInstanceBusinessKey(pi.getBusinessKey())
            .singleResult();
    assertThat(owed).isWaitingAt(AccessProcess.TASK_REVOKE);
    runJob(owed);

    assertThat(owed).isEnded();
    AccessRequest revoked = request(pi);
    Assertions.assertThat(revoked.status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(revoked.endedBy()).isEqualTo("dave");
    Assertions.assertThat(revoked.endReason())
        .isEqualTo("process instance deleted by an operator: cleaning up");
    Assertions.assertThat(auditOf(pi))
        .endsWith("access.granted by system", "access.revoked by dave");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void anOperatorWhoDeletesAPendingInstanceCancelsTheRequest() {
    ProcessInstance pi = request("alice", "staging-db-admin", "PT1H");
    identity.setAuthentication("dave", List.of("portcullis-admins"));
    runtime.deleteProcessInstance(pi.getId(), null, true, true);
    identity.clearAuthentication();

    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(request(pi).endedBy()).isEqualTo("dave");
    Assertions.assertThat(auditOf(pi))
        .containsExactly("access.requested by alice", "access.cancelled by dave");
    Assertions.assertThat(
            runtime
                .createProcessInstanceQuery()
                .processDefinitionKey(AccessProcess.REVOCATION_KEY)
                .count())
        .isZero();
  }

  // --- steps started out of order: every step finds its request by its own instance (issue 11)

  @Test
  void aGrantStartedOutOfOrderGrantsNothing() {
    ProcessInstance active = grantedRequest("erin", "PT1H");
    List<String> members = memberValues(STAGING);
    for (String step : List.of(AccessProcess.TASK_CHECK_STANDING, AccessProcess.TASK_GRANT)) {
      // with the variable that the grant's expiry timer reads, so that the forged start reaches the
      // step
      ProcessInstance forged =
          runtime
              .createProcessInstanceByKey(AccessProcess.KEY)
              .businessKey(active.getBusinessKey())
              .setVariable("requestId", active.getBusinessKey())
              .setVariable(AccessProcess.EXPIRES_AT, Date.from(T0.plus(Duration.ofHours(1))))
              .startBeforeActivity(step)
              .execute(true, true);
      assertThat(forged).isWaitingAt(step);
      assertThatThrownBy(() -> runJob(forged)).isInstanceOf(UnboundInstanceException.class);
      Assertions.assertThat(memberValues(STAGING)).isEqualTo(members);
      Assertions.assertThat(refusalsOf(forged)).isEqualTo(1);
    }
    // the access clock runs in the transaction of the step before it: started there, it is refused
    // in the start itself, and no instance is left
    long refused = refusals(AccessProcess.TASK_START_CLOCK);
    assertThatThrownBy(
            () ->
                runtime
                    .createProcessInstanceByKey(AccessProcess.KEY)
                    .businessKey(active.getBusinessKey())
                    .setVariable("requestId", active.getBusinessKey())
                    .startBeforeActivity(AccessProcess.TASK_START_CLOCK)
                    .execute(true, true))
        .isInstanceOf(UnboundInstanceException.class);
    Assertions.assertThat(refusals(AccessProcess.TASK_START_CLOCK)).isEqualTo(refused + 1);
    Assertions.assertThat(memberValues(STAGING)).isEqualTo(members);
    Assertions.assertThat(request(active).status()).isEqualTo(RequestStatus.ACTIVE);
  }

  /** The refusals of a step, of any instance: one started there that never opened a request. */
  private long refusals(String step) {
    return jdbc.queryForObject(
        "select count(*) from audit_event where action = 'action.refused' and details like ?",
        Long.class,
        "%" + step + "%");
  }

  @Test
  void aRevokeStartedOutOfOrderRevokesNothing() {
    ProcessInstance active = grantedRequest("erin", "PT1H");
    ProcessInstance forged =
        runtime
            .createProcessInstanceByKey(AccessProcess.KEY)
            .setVariable("requestId", active.getBusinessKey())
            .setVariable("endedBy", "carol")
            .startBeforeActivity(AccessProcess.TASK_REVOKE)
            .execute(true, true);
    assertThatThrownBy(() -> runJob(forged)).isInstanceOf(UnboundInstanceException.class);
    Assertions.assertThat(ldapGroups.holds(Username.of("erin"), Target.of(STAGING))).isTrue();
    Assertions.assertThat(request(active).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(request(active).endedBy()).isNull();
  }

  @Test
  void anApprovalTaskStartedOutOfOrderDecidesNothingAndLapsesNothing() {
    ProcessInstance pending = request("erin", "staging-db-admin", "PT1H");
    // started at the task with every listener skipped, and the stage's timers set to fire at once
    ProcessInstance forged =
        runtime
            .createProcessInstanceByKey(AccessProcess.KEY)
            .setVariable("requestId", pending.getBusinessKey())
            .setVariable(ApprovalProcess.STAGE_COUNT, 1)
            .setVariable(ApprovalProcess.DEADLINE, "PT0S")
            .setVariable(ApprovalProcess.REMIND_AFTER, "PT0S")
            .startBeforeActivity(ApprovalProcess.TASK_APPROVE)
            .execute(true, true);
    Task forgedTask = tasks.createTaskQuery().processInstanceId(forged.getId()).singleResult();
    // an admin passes every engine authorization: the guard still finds no request bound to the
    // instance
    identity.setAuthentication("dave", List.of("portcullis-admins", "team-leads"));
    try {
      assertThatThrownBy(
              () -> tasks.complete(forgedTask.getId(), Map.of(ApprovalProcess.DECISION, "approve")))
          .satisfies(
              e ->
                  Assertions.assertThat(Throwables.getRootCause(e))
                      .isInstanceOf(StepRefusedException.class));
    } finally {
      identity.clearAuthentication();
    }
    management.executeJob(timer(forged, ApprovalProcess.TIMER_REMINDER).getId());
    Job escalate = jobAt(forged, ApprovalProcess.TASK_ESCALATE);
    assertThatThrownBy(() -> management.executeJob(escalate.getId()))
        .as("the reminder")
        .isInstanceOf(StepRefusedException.class);
    Job deadline = timer(forged, ApprovalProcess.TIMER_DEADLINE);
    assertThatThrownBy(() -> management.executeJob(deadline.getId()))
        .as("the lapse")
        .isInstanceOf(ProcessEngineException.class);
    Assertions.assertThat(request(pending).status()).isEqualTo(RequestStatus.PENDING);
    Assertions.assertThat(chain(pending).decisions()).isEmpty();
    Assertions.assertThat(chain(pending).stages().get(0).escalatedAt()).isNull();
  }

  @Test
  void aGrantRepeatedForAnEndedRequestIsRefusedBeforeTheConnector() {
    ProcessInstance pi = grantedRequest("alice", "PT1H");
    askToEnd(pi, AccessProcess.MESSAGE_REVOKE, "alice", "done");
    runJob(pi);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();

    // the instance is gone; an admin restarts its grant step anyway
    ProcessInstance again =
        runtime
            .createProcessInstanceByKey(AccessProcess.KEY)
            .setVariable(AccessProcess.EXPIRES_AT, Date.from(T0.plus(Duration.ofHours(1))))
            .startBeforeActivity(AccessProcess.TASK_GRANT)
            .execute(true, true);
    jdbc.update(
        "update access_request set process_instance_id = ? where id = ?",
        again.getId(),
        pi.getBusinessKey());
    assertThatThrownBy(() -> runJob(again)).isInstanceOf(StepNotOwedException.class);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING)))
        .as("nothing reached the directory")
        .isFalse();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.REVOKED);
  }

  @Test
  void aRevokeRepeatedForAnEndedRequestLeavesALaterGrantAlone() {
    ProcessInstance first = grantedRequest("alice", "PT1H");
    moveClockTo(T0.plus(Duration.ofHours(1)));
    runJob(first);
    runJob(first);
    Assertions.assertThat(request(first).status()).isEqualTo(RequestStatus.EXPIRED);
    ProcessInstance second = grantedRequest("alice", "PT1H");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();

    ProcessInstance again =
        runtime
            .createProcessInstanceByKey(AccessProcess.KEY)
            .startBeforeActivity(AccessProcess.TASK_REVOKE)
            .execute(true, true);
    jdbc.update(
        "update access_request set process_instance_id = ? where id = ?",
        again.getId(),
        first.getBusinessKey());
    runJob(again);
    assertThat(again).isEnded();
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING)))
        .as("the second grant keeps its access")
        .isTrue();
    Assertions.assertThat(request(second).status()).isEqualTo(RequestStatus.ACTIVE);
  }

  @Test
  void startVariablesBeyondTheRequestsFieldsAreRefusedByName() {
    Map<String, Object> variables = variables("staging-db-admin", "PT1H");
    variables.put("requester", "erin");
    identity.setAuthentication("alice", List.of("developers"));
    try {
      assertThatThrownBy(() -> runtime.startProcessInstanceByKey(AccessProcess.KEY, variables))
          .satisfies(
              e ->
                  Assertions.assertThat(Throwables.getRootCause(e))
                      .isInstanceOf(InvalidInputException.class)
                      .hasMessageStartingWith("requester:"));
    } finally {
      identity.clearAuthentication();
    }
    Assertions.assertThat(
            runtime.createProcessInstanceQuery().processDefinitionKey(AccessProcess.KEY).count())
        .isZero();
  }

  /**
   * Requests that opened on the version of jit-access.bpmn from before its beans were named for
   * their classes (its listeners call {@code accessRequests}, now {@code requestLifecycle}) run to
   * their end after the upgrade deployed today's model: one approved, granted and expired, one
   * denied, whose end listener calls the old name last (security/ModelReach.FORMER_NAMES).
   */
  @Test
  void requestsOfThePreviousVersionRunToTheirEndAfterTheUpgrade() throws Exception {
    runToTheirEndAfterTheUpgrade("jit-access-before-issue-26");
  }

  /**
   * The same for the version before the scheduled start (issue 29): its instances know no "Wait for
   * the start" and no {@code scheduledStart}, and grant on approval as they always did.
   */
  @Test
  void requestsOfTheVersionBeforeTheScheduledStartRunToTheirEndAfterTheUpgrade() throws Exception {
    runToTheirEndAfterTheUpgrade("jit-access-before-issue-29");
  }

  private void runToTheirEndAfterTheUpgrade(String kept) throws Exception {
    var repository = engine.getRepositoryService();
    var previous =
        repository
            .createDeployment()
            .name(kept)
            .addInputStream(
                "jit-access.bpmn", getClass().getResourceAsStream("/deployments/" + kept + ".bpmn"))
            .deploy();
    String upgrade = null;
    try {
      ProcessInstance granted = request("alice", "staging-db-admin", "PT1H");
      ProcessInstance denied = request("erin", "staging-db-admin", "PT1H");
      Assertions.assertThat(List.of(granted, denied))
          .extracting(
              pi -> repository.getProcessDefinition(pi.getProcessDefinitionId()).getDeploymentId())
          .containsOnly(previous.getId());
      try (var today = getClass().getResourceAsStream("/processes/jit-access.bpmn")) {
        upgrade =
            repository
                .createDeployment()
                .name("jit-access-upgrade")
                .addInputStream("jit-access.bpmn", today)
                .deploy()
                .getId();
      }

      decide(denied, "bob", List.of("team-leads"), "deny", "not this week");
      assertThat(denied).isEnded().hasPassed("endEvent_requestDenied");
      assertStatus(denied, RequestStatus.DENIED);

      decide(granted, "bob", List.of("team-leads"), "approve", null);
      runJob(granted);
      runJob(granted);
      runJob(granted);
      assertThat(granted).isWaitingAt("gateway_awaitEnd");
      Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
      moveClockTo(request(granted).expiresAt());
      runJob(granted);
      runJob(granted);
      assertThat(granted).isEnded().hasPassed("timerEvent_accessExpired", "endEvent_accessEnded");
      assertStatus(granted, RequestStatus.EXPIRED);
      Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
      Assertions.assertThat(
              repository.getProcessDefinition(granted.getProcessDefinitionId()).getDeploymentId())
          .isEqualTo(previous.getId());
    } finally {
      // the read model first: an instance deleted while its request is live would start an owed
      // revoke
      RequestTables.deleteAll(jdbc);
      repository.deleteDeployment(previous.getId(), true);
      if (upgrade != null) {
        repository.deleteDeployment(upgrade, true);
      }
    }
  }

  private List<String> steeredBy(String actor, ProcessInstance pi) {
    return jdbc
        .queryForList(
            "select details from audit_event where process_instance_id = ? and action = 'engine.steered' and actor = ?"
                + " order by id",
            String.class,
            pi.getId(),
            actor)
        .stream()
        .map(details -> details.replaceAll(".*\"operation\":\"([A-Za-z]+)\".*", "$1"))
        .toList();
  }

  private long refusalsOf(ProcessInstance pi) {
    return jdbc.queryForObject(
        "select count(*) from audit_event where process_instance_id = ? and action = 'action.refused'",
        Long.class,
        pi.getId());
  }

  // --- helpers

  private ProcessInstance grantedRequest(String requester, String duration) {
    ProcessInstance pi = request(requester, "staging-db-admin", duration);
    // an empty table is not written: the form shows a missing one as empty
    FormRows earlier =
        (FormRows)
            tasks.getVariableLocal(
                tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult().getId(),
                AccessProcess.EARLIER_REQUESTS);
    lastEarlierRequests = earlier == null ? new FormRows(List.of()) : earlier;
    decide(pi, "bob".equals(requester) ? "zoe" : "bob", List.of("team-leads"), "approve", null);
    runJob(pi); // the standing-access check, and the access clock
    runJob(pi); // the grant
    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    return pi;
  }

  private Job onlyJob(ProcessInstance pi) {
    return management.createJobQuery().processInstanceId(pi.getId()).singleResult();
  }

  private long historyRows(String table, String instanceColumn, ProcessInstance pi) {
    return jdbc.queryForObject(
        "select count(*) from " + table + " where " + instanceColumn + " = ?",
        Long.class,
        pi.getId());
  }

  private void assertStatus(ProcessInstance pi, RequestStatus status) {
    Assertions.assertThat(request(pi).status()).isEqualTo(status);
  }

  private List<String> memberValues(String groupDn) {
    DirContextAdapter group =
        (DirContextAdapter) ldap.lookup(LdapNameBuilder.newInstance(groupDn).build());
    return List.of(group.getStringAttributes("member"));
  }
}
