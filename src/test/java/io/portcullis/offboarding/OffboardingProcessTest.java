package io.portcullis.offboarding;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.portcullis.approval.Delegation;
import io.portcullis.approval.Delegations;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.RequestStatus;
import io.portcullis.support.Leavers;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * Every path of processes/offboarding.bpmn with the real steps, the real read models and the
 * embedded directory. The job executor is off: each test runs the jobs itself and moves the engine
 * clock. Each test offboards people it made ({@link Leavers}), never the demo's.
 */
@PortcullisTest
class OffboardingProcessTest extends ProcessFixture {

  static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");
  static final String STAGING = Leavers.groupDn("staging-db-admin");
  static final String LOGS = Leavers.groupDn("prod-logs-readonly");
  static final String DEVELOPERS = Leavers.groupDn("developers");
  static final String ONCALL = Leavers.groupDn("oncall");

  @Autowired Offboardings offboardings;
  @Autowired OffboardingRepository repository;
  @Autowired OffboardingReport reports;
  @Autowired LdapGroupConnector groups;
  @Autowired Connectors connectors;
  @Autowired Delegations delegations;
  AccountControl accounts;
  Leavers people;

  OffboardingProcessTest() {
    super(T0);
  }

  @BeforeEach
  void start() {
    people = new Leavers(ldap);
    accounts = connectors.named(ConnectorName.of("ldap-group"), AccountControl.class).orElseThrow();
  }

  @AfterEach
  void endTheSagasAndThePeople() {
    // the rows first: a saga deleted while its offboarding is stored would be started again
    // (SagaDeletedByOperator)
    OffboardingTables.deleteAll(jdbc);
    jdbc.update(
        "update approval_delegation set ended_at = current_timestamp where ended_at is null");
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey("delegation")
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(OffboardingProcess.KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    people.removeAll();
  }

  @Test
  void nowEveryGrantAndStandingMembershipGoesTheAccountIsDisabledAndTheReportSaysSo() {
    people.person("lena", "developers", "oncall", "staging-db-admin");
    AccessRequest grant = activeLogsGrant("lena");
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(LOGS))).isTrue();

    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-1")).offboarding();
    Assertions.assertThat(o.status()).isEqualTo(OffboardingStatus.IN_PROGRESS);
    ProcessInstance saga = saga(o);
    assertThat(saga).isWaitingAt(OffboardingProcess.TASK_FIND_PERSON);

    drain();

    assertThat(saga)
        .isEnded()
        .hasPassed(
            OffboardingProcess.TASK_FREEZE,
            OffboardingProcess.TASK_DISCOVER,
            OffboardingProcess.TASK_END_GRANT,
            OffboardingProcess.TASK_REVOKE_STANDING,
            OffboardingProcess.TASK_VERIFY,
            "endEvent_offboardingCompleted");
    Assertions.assertThat(groups.holdings(Username.of("lena"))).isEmpty();
    Assertions.assertThat(accounts.isDisabled(Username.of("lena"))).isTrue();
    AccessRequest ended = requests.find(grant.id()).orElseThrow();
    Assertions.assertThat(ended.status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(ended.endedBy()).isEqualTo("offboarding:" + o.id());
    Assertions.assertThat(ended.endReason()).isEqualTo("offboarding");
    Offboarding done = offboardings.find(o.id()).orElseThrow();
    Assertions.assertThat(done.status()).isEqualTo(OffboardingStatus.COMPLETED);
    Assertions.assertThat(done.outcome()).isEqualTo("nothing the person held is left");

    OffboardingReport.Report report = reports.of(done);
    Assertions.assertThat(report.personFound()).isTrue();
    Assertions.assertThat(report.frozenAt()).isEqualTo(T0);
    Assertions.assertThat(report.findings()).isEmpty();
    var ldapItems =
        report.systems().stream()
            .filter(s -> s.system().equals("ldap-group"))
            .findFirst()
            .orElseThrow()
            .items();
    Assertions.assertThat(ldapItems)
        .extracting(OffboardingReport.ItemView::kind, OffboardingReport.ItemView::target)
        .containsExactlyInAnyOrder(
            Assertions.tuple("ACCOUNT", "lena"),
            Assertions.tuple("GRANT", LOGS),
            Assertions.tuple("STANDING", DEVELOPERS),
            Assertions.tuple("STANDING", ONCALL),
            Assertions.tuple("STANDING", STAGING));
    Assertions.assertThat(ldapItems)
        .allSatisfy(
            i -> {
              Assertions.assertThat(i.doneAt()).as(i.target()).isNotNull();
              Assertions.assertThat(i.stillThere()).as(i.target()).isFalse();
            });
    Assertions.assertThat(ldapItems)
        .filteredOn(i -> i.kind().equals("GRANT"))
        .singleElement()
        .satisfies(
            i -> Assertions.assertThat(i.how()).isEqualTo("ended through its request: REVOKED"));
    Assertions.assertThat(auditOf(o))
        .containsSubsequence(
            "offboarding.requested by hr-system",
            "offboarding.started by offboarding",
            "account.disabled by offboarding",
            "holdings.discovered by offboarding",
            "membership.revoked by offboarding",
            "offboarding.verified by offboarding",
            "offboarding.completed by offboarding");
  }

  @Test
  void aGrantOfSeveralResourcesEndsWholeThroughItsRequest() {
    people.person("lena", "developers");
    ProcessInstance pi =
        request(
            "lena", Map.of(AccessProcess.RESOURCES, "prod-logs-readonly,staging-db-admin"), "PT1H");
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    drain();
    AccessRequest grant = request(pi);
    Assertions.assertThat(grant.status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(STAGING))).isTrue();

    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-1d")).offboarding();
    drain();

    Assertions.assertThat(groups.holdings(Username.of("lena"))).isEmpty();
    AccessRequest ended = requests.find(grant.id()).orElseThrow();
    Assertions.assertThat(ended.status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(ended.endedBy()).isEqualTo("offboarding:" + o.id());
    Offboarding done = offboardings.find(o.id()).orElseThrow();
    Assertions.assertThat(done.status()).isEqualTo(OffboardingStatus.COMPLETED);
    Assertions.assertThat(
            reports.of(done).systems().stream()
                .filter(s -> s.system().equals("ldap-group"))
                .findFirst()
                .orElseThrow()
                .items())
        .as("both resources are the request's grant, neither a standing membership")
        .extracting(OffboardingReport.ItemView::kind, OffboardingReport.ItemView::target)
        .containsExactlyInAnyOrder(
            Assertions.tuple("ACCOUNT", "lena"),
            Assertions.tuple("GRANT", LOGS),
            Assertions.tuple("GRANT", STAGING),
            Assertions.tuple("STANDING", DEVELOPERS));
  }

  @Test
  void aGrantStillEndingIsWaitedForAndItsEndWakesTheSaga() {
    people.person("lena", "developers", "oncall");
    AccessRequest grant = activeLogsGrant("lena");
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-1b")).offboarding();
    ProcessInstance saga = saga(o);
    // the saga runs ahead of the grant's own revoke
    for (int i = 0;
        i < 100
            && management.createJobQuery().processInstanceId(saga.getId()).executable().count() > 0;
        i++) {
      management.executeJob(
          management
              .createJobQuery()
              .processInstanceId(saga.getId())
              .executable()
              .list()
              .get(0)
              .getId());
    }
    assertThat(saga).isWaitingAt("gateway_awaitGrants");
    Assertions.assertThat(requests.find(grant.id()).orElseThrow().status())
        .isEqualTo(RequestStatus.ACTIVE);

    drain(); // the grant's revoke: it ends REVOKED, and its end wakes the saga

    assertThat(saga)
        .isEnded()
        .hasPassed("messageEvent_grantsEnded", "endEvent_offboardingCompleted")
        .hasNotPassed("timerEvent_grantWaitOver");
    Assertions.assertThat(requests.find(grant.id()).orElseThrow().status())
        .isEqualTo(RequestStatus.REVOKED);
  }

  @Test
  void aGrantWhoseRevokeNeverEndsIsFoundByVerificationAfterAnHourAndFlagged() {
    people.person("lena", "developers", "oncall");
    AccessRequest grant = activeLogsGrant("lena");
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-1c")).offboarding();
    ProcessInstance saga = saga(o);
    for (int i = 0;
        i < 100
            && management.createJobQuery().processInstanceId(saga.getId()).executable().count() > 0;
        i++) {
      management.executeJob(
          management
              .createJobQuery()
              .processInstanceId(saga.getId())
              .executable()
              .list()
              .get(0)
              .getId());
    }
    assertThat(saga).isWaitingAt("gateway_awaitGrants");
    // the grant's revoke is stuck (its job does not run); an hour later the saga verifies anyway
    moveClockTo(T0.plus(Duration.ofMinutes(61)));
    Job timer = management.createJobQuery().processInstanceId(saga.getId()).timers().singleResult();
    management.executeJob(timer.getId());
    for (int i = 0;
        i < 10
            && management.createJobQuery().processInstanceId(saga.getId()).executable().count() > 0;
        i++) {
      management.executeJob(
          management
              .createJobQuery()
              .processInstanceId(saga.getId())
              .executable()
              .list()
              .get(0)
              .getId());
    }
    assertThat(saga)
        .isWaitingAt(OffboardingProcess.TASK_RESOLVE)
        .hasPassed("timerEvent_grantWaitOver");
    Assertions.assertThat(reports.of(offboardings.find(o.id()).orElseThrow()).findings())
        .extracting(OffboardingReport.FindingView::what)
        .contains(
            "lena still holds " + LOGS,
            "request " + grant.id() + " (prod-logs-readonly) is still ACTIVE");
  }

  @Test
  void theSameReferenceIsTheSameOffboardingAndAnotherReferenceForThePersonIsAConflict() {
    people.person("lena", "developers");
    Offboardings.Started first = offboardings.start("hr-system", ask("lena", null, "HR-2"));
    Offboardings.Started again = offboardings.start("hr-system", ask("lena", null, "HR-2"));
    Assertions.assertThat(first.created()).isTrue();
    Assertions.assertThat(again.created()).isFalse();
    Assertions.assertThat(again.offboarding().id()).isEqualTo(first.offboarding().id());
    Assertions.assertThat(
            runtime
                .createProcessInstanceQuery()
                .processDefinitionKey(OffboardingProcess.KEY)
                .count())
        .isEqualTo(1);
    Assertions.assertThatThrownBy(() -> offboardings.start("hr-system", ask("LENA", null, "HR-3")))
        .hasMessageContaining(first.offboarding().id().value());
    Assertions.assertThat(
            offboardings.deactivate("scim", ask("lena", null, "scim:1")).offboarding().id())
        .isEqualTo(first.offboarding().id());
    Assertions.assertThatThrownBy(() -> offboardings.start("hr-system", ask("erin", null, "HR-2")))
        .hasMessageContaining("of another person");
  }

  @Test
  void scheduledItWaitsForItsEffectiveTimeThenRuns() {
    people.person("lena", "developers");
    Instant at = T0.plus(Duration.ofDays(3));
    Offboarding o = offboardings.start("hr-system", ask("lena", at, "HR-4")).offboarding();
    Assertions.assertThat(o.status()).isEqualTo(OffboardingStatus.SCHEDULED);
    ProcessInstance saga = saga(o);
    assertThat(saga).isWaitingAt("gateway_awaitEffectiveTime");
    Job timer = management.createJobQuery().processInstanceId(saga.getId()).timers().singleResult();
    Assertions.assertThat(timer.getDuedate().toInstant()).isEqualTo(at);
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(DEVELOPERS))).isTrue();

    moveClockTo(at.minusSeconds(1));
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(saga.getId()).executable().count())
        .isZero();
    moveClockTo(at);
    drain();

    assertThat(saga)
        .isEnded()
        .hasPassed(OffboardingProcess.TIMER_EFFECTIVE_TIME, "endEvent_offboardingCompleted");
    Offboarding done = offboardings.find(o.id()).orElseThrow();
    Assertions.assertThat(done.startedAt()).isEqualTo(at);
    Assertions.assertThat(done.status()).isEqualTo(OffboardingStatus.COMPLETED);
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(DEVELOPERS))).isFalse();
  }

  @Test
  void cancelledBeforeItsEffectiveTimeNothingIsDone() {
    people.person("lena", "developers");
    Offboarding o =
        offboardings
            .start("hr-system", ask("lena", T0.plus(Duration.ofDays(1)), "HR-5"))
            .offboarding();
    ProcessInstance saga = saga(o);

    Offboarding cancelled = offboardings.cancel("hr-system", o.id());

    Assertions.assertThat(cancelled.status()).isEqualTo(OffboardingStatus.CANCELLED);
    assertThat(saga)
        .isEnded()
        .hasPassed("messageEvent_offboardingCancelled", OffboardingProcess.END_CANCELLED);
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(DEVELOPERS))).isTrue();
    Assertions.assertThat(accounts.isDisabled(Username.of("lena"))).isFalse();
    Assertions.assertThat(repository.frozen(Username.of("lena"))).isFalse();
    Assertions.assertThatThrownBy(() -> offboardings.cancel("hr-system", o.id()))
        .hasMessageContaining("CANCELLED");
    // the person may be offboarded again, under a new reference
    Assertions.assertThat(offboardings.start("hr-system", ask("lena", null, "HR-5b")).created())
        .isTrue();
  }

  @Test
  void aCancelMessageSentPastPortcullisApiIsRefusedAndTheOffboardingStillRuns() {
    people.person("lena", "developers");
    Instant at = T0.plus(Duration.ofDays(1));
    Offboarding o = offboardings.start("hr-system", ask("lena", at, "HR-5c")).offboarding();
    ProcessInstance saga = saga(o);
    // what an admin could send through the engine's REST API (POST /engine-rest/message)
    Assertions.assertThatThrownBy(
            () ->
                runtime
                    .createMessageCorrelation(OffboardingProcess.MESSAGE_CANCEL)
                    .processInstanceId(saga.getId())
                    .correlate())
        .hasMessageContaining("not cancelled through Portcullis' API");
    assertThat(saga).isWaitingAt("gateway_awaitEffectiveTime");
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.SCHEDULED);
    moveClockTo(at);
    drain();
    assertThat(saga).isEnded().hasPassed("endEvent_offboardingCompleted");
  }

  @Test
  void aRunningOffboardingCannotBeCancelled() {
    people.person("lena");
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-6")).offboarding();
    Assertions.assertThatThrownBy(() -> offboardings.cancel("hr-system", o.id()))
        .hasMessageContaining("IN_PROGRESS");
  }

  @Test
  void anUnknownPersonIsRefusedAuditedAndNothingIsStored() {
    for (var door :
        List.<Runnable>of(
            () -> offboardings.start("hr-system", ask("nobody-here", null, "HR-7")),
            () -> offboardings.deactivate("scim", ask("nobody-here", null, "scim:7")))) {
      Assertions.assertThatThrownBy(door::run)
          .isInstanceOf(UnknownPersonException.class)
          .hasMessageContaining("nobody-here");
    }
    Assertions.assertThat(offboardings.count(Username.of("nobody-here"), null)).isZero();
    Assertions.assertThat(
            runtime
                .createProcessInstanceQuery()
                .processDefinitionKey(OffboardingProcess.KEY)
                .count())
        .isZero();
    Assertions.assertThat(
            jdbc.queryForList(
                "select actor || ' ' || details from audit_event where action = 'action.refused' "
                    + "and subject = 'nobody-here' order by id",
                String.class))
        .satisfiesExactly(
            e ->
                Assertions.assertThat(e)
                    .startsWith("hr-system ")
                    .contains("\"door\":\"api\"")
                    .contains("HR-7"),
            e ->
                Assertions.assertThat(e)
                    .startsWith("scim ")
                    .contains("\"door\":\"scim\"")
                    .contains("scim:7"));
  }

  /**
   * A person the directory knew when HR scheduled their leaving, but who is gone from it at the
   * effective time: nothing could be frozen or verified under that name, so it is a finding for an
   * admin, never an offboarding COMPLETED with nothing done. The admin's retry looks them up again.
   */
  @Test
  void aPersonGoneFromTheDirectoryByTheEffectiveTimeIsAFindingForAnAdminWhoseRetryLooksAgain() {
    people.person("lena", "developers");
    Instant at = T0.plus(Duration.ofDays(1));
    Offboarding o = offboardings.start("hr-system", ask("lena", at, "HR-7b")).offboarding();
    ProcessInstance saga = saga(o);
    people.removeAll();
    moveClockTo(at);
    drain();

    assertThat(saga)
        .isWaitingAt(OffboardingProcess.TASK_RESOLVE)
        // from "Find the person" straight to the findings: no account to freeze, nothing planned
        .hasPassed(OffboardingProcess.TASK_FIND_PERSON)
        .hasNotPassed(OffboardingProcess.TASK_FREEZE, OffboardingProcess.TASK_PLAN);
    Offboarding flagged = offboardings.find(o.id()).orElseThrow();
    Assertions.assertThat(flagged.status()).isEqualTo(OffboardingStatus.NEEDS_ATTENTION);
    Assertions.assertThat(reports.of(flagged).personFound()).isFalse();
    Assertions.assertThat(reports.of(flagged).findings())
        .singleElement()
        .satisfies(
            f -> Assertions.assertThat(f.what()).startsWith("the directory no longer knows lena"));
    Assertions.assertThat(
            tasks.createTaskQuery().processInstanceId(saga.getId()).singleResult().getName())
        .isEqualTo("Offboarding of lena: 1 thing left");

    // the person is back (restored from a backup): the admin's retry finds and freezes them, and
    // the saga completes
    people.person("lena", "developers");
    complete(
        tasks.createTaskQuery().processInstanceId(saga.getId()).singleResult(),
        "dave",
        List.of("portcullis-admins"),
        Map.of("resolution", "retry"));
    drain();
    assertThat(saga).isEnded().hasPassed("endEvent_offboardingCompleted");
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(DEVELOPERS))).isFalse();
    Assertions.assertThat(repository.frozen(Username.of("lena"))).isTrue();
    Assertions.assertThat(reports.of(offboardings.find(o.id()).orElseThrow()).personFound())
        .isTrue();
    Assertions.assertThat(auditOf(o))
        .containsSubsequence(
            "offboarding.started by offboarding",
            "offboarding.flagged by offboarding",
            "offboarding.retried by dave",
            "offboarding.started by offboarding",
            "offboarding.completed by offboarding");
  }

  @Test
  void aPersonGoneFromTheDirectoryIsClosedOnlyByAnAdminWithAComment() {
    people.person("lena");
    Offboarding o =
        offboardings
            .start("hr-system", ask("lena", T0.plus(Duration.ofHours(1)), "HR-7c"))
            .offboarding();
    ProcessInstance saga = saga(o);
    people.removeAll();
    moveClockTo(T0.plus(Duration.ofHours(1)));
    drain();
    complete(
        tasks.createTaskQuery().processInstanceId(saga.getId()).singleResult(),
        "dave",
        List.of("portcullis-admins"),
        Map.of(
            "resolution", "close", "comment", "lena was a duplicate entry, offboarded as lena.k"));
    assertThat(saga).isEnded().hasPassed(OffboardingProcess.END_CLOSED);
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().outcome())
        .isEqualTo(
            "closed by dave with findings left: lena was a duplicate entry, offboarded as lena.k");
  }

  // ---- a deactivation means now

  /**
   * HR scheduled lena's leaving for three days ahead; an hour later the identity provider
   * deactivates her. The saga leaves its wait through "Effective time moved", its timer is gone,
   * and she is frozen by its next step; the move is its own ask, in the evidence and the trail; HR
   * can no longer cancel it.
   */
  @Test
  void aDeactivationBringsAScheduledOffboardingForwardToNowAndHrCannotCancelIt() {
    people.person("lena", "developers");
    Offboarding o =
        offboardings
            .start("hr-system", ask("lena", T0.plus(Duration.ofDays(3)), "HR-20"))
            .offboarding();
    ProcessInstance saga = saga(o);
    Instant deactivated = T0.plus(Duration.ofHours(1));
    moveClockTo(deactivated);

    Offboardings.Started joined =
        offboardings.deactivate(
            "scim",
            new OffboardingAsk(
                Username.of("LENA"),
                null,
                "deactivated by the identity provider (SCIM PATCH active=false)",
                "scim:req-1"));

    Assertions.assertThat(joined.created()).isFalse();
    Assertions.assertThat(joined.offboarding().id()).isEqualTo(o.id());
    Assertions.assertThat(joined.offboarding().status()).isEqualTo(OffboardingStatus.IN_PROGRESS);
    Assertions.assertThat(joined.offboarding().effectiveAt()).isEqualTo(deactivated);
    Assertions.assertThat(joined.offboarding().startedAt()).isEqualTo(deactivated);
    assertThat(saga)
        .hasPassed(OffboardingProcess.EVENT_MOVED)
        .hasNotPassed(OffboardingProcess.TIMER_EFFECTIVE_TIME)
        .isWaitingAt(OffboardingProcess.TASK_FIND_PERSON);
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(saga.getId()).timers().count())
        .isZero();
    Assertions.assertThat(offboardings.frozenOrFreezing(Username.of("lena")))
        .as("being frozen now")
        .isTrue();
    // the same deactivation again (Entra's DELETE after its PATCH) changes nothing
    Assertions.assertThat(
            offboardings
                .deactivate(
                    "scim",
                    new OffboardingAsk(
                        Username.of("lena"),
                        null,
                        "deactivated by the identity provider " + "(SCIM DELETE)",
                        "scim:req-2"))
                .offboarding()
                .id())
        .isEqualTo(o.id());
    Assertions.assertThatThrownBy(() -> offboardings.cancel("hr-system", o.id()))
        .hasMessageContaining("identity provider");

    drain();
    assertThat(saga).isEnded().hasPassed("endEvent_offboardingCompleted");
    Offboarding done = offboardings.find(o.id()).orElseThrow();
    Assertions.assertThat(done.status()).isEqualTo(OffboardingStatus.COMPLETED);
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(DEVELOPERS))).isFalse();
    var asks = reports.of(done).asks();
    Assertions.assertThat(asks)
        .extracting(
            OffboardingReport.AskView::by,
            OffboardingReport.AskView::door,
            OffboardingReport.AskView::outcome,
            OffboardingReport.AskView::appliedAt)
        .containsExactly(
            Assertions.tuple("hr-system", "api", "started", T0),
            Assertions.tuple("scim", "scim", "brought forward to now", deactivated));
    Assertions.assertThat(asks.get(1).movedFrom()).isEqualTo(T0.plus(Duration.ofDays(3)));
    Assertions.assertThat(auditOf(o))
        .containsSubsequence(
            "offboarding.requested by hr-system",
            "offboarding.brought-forward by scim",
            "offboarding.started by offboarding",
            "offboarding.completed by offboarding");
  }

  /**
   * An earlier effectiveAt moves the timer earlier; a later one never moves it back; an ask for now
   * from HR runs it now.
   */
  @Test
  void anEarlierEffectiveTimeMovesTheTimerALaterOneDoesNot() {
    people.person("lena", "developers");
    Instant scheduled = T0.plus(Duration.ofDays(3));
    Offboarding o = offboardings.start("hr-system", ask("lena", scheduled, "HR-21")).offboarding();
    ProcessInstance saga = saga(o);
    Instant earlier = T0.plus(Duration.ofDays(1));

    Offboardings.Started moved = offboardings.start("hr-system", ask("lena", earlier, "HR-22"));
    Assertions.assertThat(moved.created()).isFalse();
    Assertions.assertThat(moved.offboarding().status()).isEqualTo(OffboardingStatus.SCHEDULED);
    Assertions.assertThat(moved.offboarding().effectiveAt()).isEqualTo(earlier);
    assertThat(saga)
        .hasPassed(OffboardingProcess.EVENT_MOVED)
        .isWaitingAt("gateway_awaitEffectiveTime");
    Assertions.assertThat(
            management
                .createJobQuery()
                .processInstanceId(saga.getId())
                .timers()
                .singleResult()
                .getDuedate()
                .toInstant())
        .isEqualTo(earlier);
    Assertions.assertThat(offboardings.frozenOrFreezing(Username.of("lena")))
        .as("still only scheduled")
        .isFalse();
    // later than what is scheduled: refused, and nothing moves
    Assertions.assertThatThrownBy(
            () ->
                offboardings.start("hr-system", ask("lena", T0.plus(Duration.ofDays(2)), "HR-23")))
        .hasMessageContaining("never moved later")
        .hasMessageContaining(earlier.toString());
    Assertions.assertThat(
            management
                .createJobQuery()
                .processInstanceId(saga.getId())
                .timers()
                .singleResult()
                .getDuedate()
                .toInstant())
        .isEqualTo(earlier);

    moveClockTo(earlier.minusSeconds(1));
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(saga.getId()).executable().count())
        .isZero();
    moveClockTo(earlier);
    drain();
    assertThat(saga)
        .isEnded()
        .hasPassed(OffboardingProcess.TIMER_EFFECTIVE_TIME, "endEvent_offboardingCompleted");
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().startedAt()).isEqualTo(earlier);
    Assertions.assertThat(reports.of(offboardings.find(o.id()).orElseThrow()).asks())
        .extracting(OffboardingReport.AskView::outcome)
        .containsExactly("started", "moved earlier");
  }

  @Test
  void anHrAskForNowBringsAScheduledOneForwardAndItsRetryMovesNothingTwice() {
    people.person("lena", "developers");
    Offboarding o =
        offboardings
            .start("hr-system", ask("lena", T0.plus(Duration.ofDays(3)), "HR-24"))
            .offboarding();
    ProcessInstance saga = saga(o);
    Offboardings.Started now = offboardings.start("hr-system", ask("lena", null, "HR-25"));
    Assertions.assertThat(now.offboarding().status()).isEqualTo(OffboardingStatus.IN_PROGRESS);
    assertThat(saga).isWaitingAt(OffboardingProcess.TASK_FIND_PERSON);
    Assertions.assertThat(
            offboardings.start("hr-system", ask("lena", null, "HR-25")).offboarding().id())
        .isEqualTo(o.id());
    Assertions.assertThat(auditOf(o))
        .filteredOn(e -> e.startsWith("offboarding.brought-forward"))
        .containsExactly("offboarding.brought-forward by hr-system");
    // HR's own move to now: it runs, so it can no longer be cancelled
    Assertions.assertThatThrownBy(() -> offboardings.cancel("hr-system", o.id()))
        .hasMessageContaining("IN_PROGRESS");
  }

  /**
   * What the engine's REST API could send to a waiting saga: refused, audited, and the timer stays
   * where it was.
   */
  @Test
  void aMoveMessageSentPastPortcullisDoorsIsRefusedAndTheTimerStays() {
    people.person("lena", "developers");
    Instant at = T0.plus(Duration.ofDays(3));
    Offboarding o = offboardings.start("hr-system", ask("lena", at, "HR-26")).offboarding();
    ProcessInstance saga = saga(o);
    Assertions.assertThatThrownBy(
            () ->
                runtime
                    .createMessageCorrelation(OffboardingProcess.MESSAGE_MOVED)
                    .processInstanceId(saga.getId())
                    .correlate())
        .hasMessageContaining("not moved through Portcullis' doors");
    assertThat(saga)
        .isWaitingAt("gateway_awaitEffectiveTime")
        .hasNotPassed(OffboardingProcess.EVENT_MOVED);
    Assertions.assertThat(
            management
                .createJobQuery()
                .processInstanceId(saga.getId())
                .timers()
                .singleResult()
                .getDuedate()
                .toInstant())
        .isEqualTo(at);
    Assertions.assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_event where action = 'action.refused' and request_id = ?",
                Integer.class,
                o.id().value()))
        .isEqualTo(1);
  }

  /**
   * A move is one transaction: the stored ask, the new time, the audit event and the message. When
   * the message cannot reach the saga (here: an operator suspended it), none of it is left behind,
   * so the trail never shows a move that was not made.
   */
  @Test
  void aMoveThatCannotReachItsSagaLeavesNoAskNoNewTimeAndNoEvent() {
    people.person("lena", "developers");
    Instant at = T0.plus(Duration.ofDays(3));
    Offboarding o = offboardings.start("hr-system", ask("lena", at, "HR-27")).offboarding();
    runtime.suspendProcessInstanceById(saga(o).getId());

    Assertions.assertThatThrownBy(
            () -> offboardings.deactivate("scim", ask("lena", null, "scim:req-27")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("ask again");

    Offboarding still = offboardings.find(o.id()).orElseThrow();
    Assertions.assertThat(still.status()).isEqualTo(OffboardingStatus.SCHEDULED);
    Assertions.assertThat(still.effectiveAt()).isEqualTo(at);
    Assertions.assertThat(reports.of(still).asks())
        .extracting(OffboardingReport.AskView::reference)
        .containsExactly("HR-27");
    Assertions.assertThat(auditOf(o)).noneMatch(e -> e.startsWith("offboarding.brought-forward"));
    // once the saga runs again, the same deactivation goes through
    runtime.activateProcessInstanceById(saga(o).getId());
    Assertions.assertThat(
            offboardings
                .deactivate("scim", ask("lena", null, "scim:req-27"))
                .offboarding()
                .status())
        .isEqualTo(OffboardingStatus.IN_PROGRESS);
  }

  /**
   * SCIM and HR at the same moment, each on its own thread (as two nodes would be): they take turns
   * on the offboarding's row, so exactly one of them moves it, the other joins (SCIM) or is told it
   * runs already (HR), and the saga has one path and one next step.
   */
  @Test
  void aDeactivationAndAnHrAskAtOnceMoveTheOffboardingOnce() throws Exception {
    people.person("lena", "developers");
    Offboarding o =
        offboardings
            .start("hr-system", ask("lena", T0.plus(Duration.ofDays(3)), "HR-28"))
            .offboarding();
    ProcessInstance saga = saga(o);
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      var scim =
          threads.submit(
              () -> {
                together.await();
                return offboardings
                    .deactivate("scim", ask("lena", null, "scim:req-28"))
                    .offboarding()
                    .id();
              });
      var hr =
          threads.submit(
              () -> {
                together.await();
                try {
                  return offboardings
                      .start("hr-system", ask("lena", null, "HR-29"))
                      .offboarding()
                      .id();
                } catch (ConflictException runsAlready) {
                  Assertions.assertThat(runsAlready.getMessage())
                      .contains("already being offboarded");
                  return o.id();
                }
              });
      Assertions.assertThat(scim.get(60, TimeUnit.SECONDS)).isEqualTo(o.id());
      Assertions.assertThat(hr.get(60, TimeUnit.SECONDS)).isEqualTo(o.id());
    } finally {
      threads.shutdownNow();
    }
    Assertions.assertThat(reports.of(offboardings.find(o.id()).orElseThrow()).asks())
        .extracting(OffboardingReport.AskView::outcome)
        .containsExactly("started", "brought forward to now");
    Assertions.assertThat(auditOf(o))
        .filteredOn(e -> e.startsWith("offboarding.brought-forward"))
        .hasSize(1);
    assertThat(saga).isWaitingAt(OffboardingProcess.TASK_FIND_PERSON);
    Assertions.assertThat(management.createJobQuery().processInstanceId(saga.getId()).count())
        .isEqualTo(1);
    Assertions.assertThat(offboardings.count(Username.of("lena"), null)).isEqualTo(1);
  }

  @Test
  void aPersonWhoHoldsNothingIsFrozenVerifiedAndCompleted() {
    people.person("lena");
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-8")).offboarding();
    ProcessInstance saga = saga(o);
    drain();
    assertThat(saga)
        .isEnded()
        .hasPassed(OffboardingProcess.TASK_VERIFY, "endEvent_offboardingCompleted")
        .hasNotPassed("messageEvent_grantsEnded");
    Assertions.assertThat(accounts.isDisabled(Username.of("lena"))).isTrue();
    Assertions.assertThat(repository.frozen(Username.of("LENA")))
        .as("refused at every door, by any spelling")
        .isTrue();
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.COMPLETED);
  }

  @Test
  void aSystemThatFailsIsRetriedThenAnIncidentWhileTheRestGoesOnAndTheRetriedIncidentFinishesIt() {
    people.person("lena", "developers");
    people.group("flaky-share", "lena");
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-9")).offboarding();
    ProcessInstance saga = saga(o);
    runUntilWaitingAt(saga, OffboardingProcess.TASK_REVOKE_STANDING);
    // the directory loses the group between discovery and revoke: the revoke of it fails until it
    // is back
    ldap.unbind(LdapNameBuilder.newInstance(Leavers.groupDn("flaky-share")).build());

    int failures = 0;
    for (int i = 0;
        i < 50 && runtime.createIncidentQuery().processInstanceId(saga.getId()).count() == 0;
        i++) {
      failures += drainOnce();
      ClockUtil.setCurrentTime(
          new Date(ClockUtil.getCurrentTime().getTime() + Duration.ofMinutes(1).toMillis()));
    }
    Assertions.assertThat(failures).as("failed attempts: five, then the incident").isEqualTo(5);
    var incident = runtime.createIncidentQuery().processInstanceId(saga.getId()).singleResult();
    Assertions.assertThat(incident.getActivityId())
        .isEqualTo(OffboardingProcess.TASK_REVOKE_STANDING);
    // the other membership went meanwhile
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(DEVELOPERS))).isFalse();

    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.IN_PROGRESS);
    var report = reports.of(offboardings.find(o.id()).orElseThrow());
    var ldapFailures =
        report.systems().stream()
            .filter(s -> s.system().equals("ldap-group"))
            .findFirst()
            .orElseThrow()
            .failures();
    Assertions.assertThat(ldapFailures)
        .hasSize(6)
        .allSatisfy(f -> Assertions.assertThat(f.error()).contains(Leavers.groupDn("flaky-share")));
    Assertions.assertThat(ldapFailures)
        .filteredOn(OffboardingReport.FailureView::incident)
        .hasSize(1);

    // the group is back, with the leaver still in it; an operator retries the incident: the saga
    // finishes
    people.group("flaky-share", "lena");
    management.setJobRetries(
        management
            .createJobQuery()
            .processInstanceId(saga.getId())
            .noRetriesLeft()
            .singleResult()
            .getId(),
        1);
    drain();
    assertThat(saga).isEnded().hasPassed("endEvent_offboardingCompleted");
    Assertions.assertThat(groups.holdings(Username.of("lena"))).isEmpty();
  }

  @Test
  void somethingLeftIsATaskForAnAdminWhoRetriesAndTheNextRoundCompletes() {
    people.person("lena", "developers");
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-10")).offboarding();
    ProcessInstance saga = saga(o);
    runUntilWaitingAt(saga, OffboardingProcess.TASK_VERIFY);
    // someone adds the leaver to a group after discovery: verification finds it
    people.addMember(STAGING, Leavers.personDn("lena"));
    drain();

    assertThat(saga).isWaitingAt(OffboardingProcess.TASK_RESOLVE);
    Task task = tasks.createTaskQuery().processInstanceId(saga.getId()).singleResult();
    assertThat(task).hasCandidateGroup("portcullis-admins");
    Assertions.assertThat(task.getName()).isEqualTo("Offboarding of lena: 1 thing left");
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.NEEDS_ATTENTION);
    Assertions.assertThat(reports.of(offboardings.find(o.id()).orElseThrow()).findings())
        .singleElement()
        .satisfies(f -> Assertions.assertThat(f.what()).isEqualTo("lena still holds " + STAGING));

    // a requester cannot resolve it, nor can an admin without saying retry or close
    Assertions.assertThatThrownBy(
            () ->
                complete(
                    task,
                    "alice",
                    List.of("developers"),
                    Map.of("resolution", "close", "comment", "x")))
        .isInstanceOf(AuthorizationException.class);
    Assertions.assertThatThrownBy(
            () ->
                complete(task, "dave", List.of("portcullis-admins"), Map.of("resolution", "maybe")))
        .hasMessageContaining("'retry' or 'close'");
    complete(task, "dave", List.of("portcullis-admins"), Map.of("resolution", "retry"));
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.IN_PROGRESS);
    drain();

    assertThat(saga).isEnded().hasPassed("endEvent_offboardingCompleted");
    Assertions.assertThat(groups.holdings(Username.of("lena"))).isEmpty();
    OffboardingReport.Report report = reports.of(offboardings.find(o.id()).orElseThrow());
    Assertions.assertThat(report.rounds()).isEqualTo(2);
    Assertions.assertThat(report.resolutions())
        .singleElement()
        .satisfies(
            r -> {
              Assertions.assertThat(r.resolution()).isEqualTo("retry");
              Assertions.assertThat(r.by()).isEqualTo("dave");
            });
    Assertions.assertThat(auditOf(o))
        .contains("offboarding.flagged by offboarding", "offboarding.retried by dave");
  }

  @Test
  void anAdminMayCloseWithACommentWhatIsLeft() {
    people.person("lena");
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-11")).offboarding();
    ProcessInstance saga = saga(o);
    runUntilWaitingAt(saga, OffboardingProcess.TASK_VERIFY);
    people.addMember(STAGING, Leavers.personDn("lena"));
    drain();
    Task task = tasks.createTaskQuery().processInstanceId(saga.getId()).singleResult();
    Assertions.assertThatThrownBy(
            () ->
                complete(task, "dave", List.of("portcullis-admins"), Map.of("resolution", "close")))
        .hasMessageContaining("comment");
    complete(
        task,
        "dave",
        List.of("portcullis-admins"),
        Map.of("resolution", "close", "comment", "the group is retired next week"));

    assertThat(saga).isEnded().hasPassed(OffboardingProcess.END_CLOSED);
    Offboarding done = offboardings.find(o.id()).orElseThrow();
    Assertions.assertThat(done.status()).isEqualTo(OffboardingStatus.COMPLETED);
    Assertions.assertThat(done.outcome())
        .isEqualTo("closed by dave with findings left: the group is retired next week");
  }

  @Test
  void pendingRequestsAreCancelledAndClaimedTasksHandedBack() {
    people.person("lena", "developers", "team-leads");
    AccessRequest pending =
        request(request("lena", List.of("developers", "team-leads"), "staging-db-admin", "PT1H"));
    AccessRequest aliceAsks =
        request(request("alice", List.of("developers"), "staging-db-admin", "PT1H"));
    Task aliceTask =
        tasks.createTaskQuery().processInstanceId(aliceAsks.processInstanceId()).singleResult();
    tasks.claim(aliceTask.getId(), "lena");

    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-12")).offboarding();
    drain();

    Assertions.assertThat(requests.find(pending.id()).orElseThrow().status())
        .isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(requests.find(pending.id()).orElseThrow().endedBy())
        .isEqualTo("offboarding:" + o.id());
    Task back = tasks.createTaskQuery().taskId(aliceTask.getId()).singleResult();
    Assertions.assertThat(back.getAssignee()).isNull();
    assertThat(back).hasCandidateGroup("team-leads");
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.COMPLETED);
    var portcullis =
        reports.of(offboardings.find(o.id()).orElseThrow()).systems().stream()
            .filter(s -> s.system().equals("portcullis"))
            .findFirst()
            .orElseThrow()
            .items();
    Assertions.assertThat(portcullis)
        .extracting(OffboardingReport.ItemView::kind, OffboardingReport.ItemView::how)
        .containsExactlyInAnyOrder(
            Assertions.tuple("PENDING_REQUEST", "cancelled while it was being decided"),
            Assertions.tuple("TASK", "handed back to its groups"));
  }

  /**
   * Issue 29: a leaver's delegations end with the offboarding, the one they gave and the one they
   * received, each audited delegation.ended with the reason and listed in the report.
   */
  @Test
  void aLeaversDelegationsGivenAndReceivedAreEndedAuditedAndListed() {
    people.person("lena", "developers", "team-leads");
    Delegation given =
        delegations.create(
            new Caller(Username.of("lena"), List.of("developers", "team-leads"), Set.of()),
            "dave",
            null,
            T0.plus(Duration.ofDays(7)),
            "on holiday");
    Delegation received =
        delegations.create(
            new Caller(Username.of("carol"), List.of("security"), Set.of()),
            "lena",
            T0.plus(Duration.ofDays(1)),
            T0.plus(Duration.ofDays(7)),
            "off next week");

    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-12")).offboarding();
    drain();

    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.COMPLETED);
    Caller admin = new Caller(Username.of("dave"), List.of(), Set.of(Caller.Role.ADMIN));
    Assertions.assertThat(delegations.visibleTo(admin))
        .filteredOn(d -> d.id().equals(given.id()) || d.id().equals(received.id()))
        .extracting(d -> d.statusAt(T0))
        .containsExactly(Delegation.Status.ENDED, Delegation.Status.ENDED);
    Assertions.assertThat(
            jdbc.queryForList(
                "select details from audit_event where action = 'delegation.ended' and actor = ?"
                    + " order by id",
                String.class,
                "offboarding:" + o.id()))
        .hasSize(2)
        .allSatisfy(
            details -> Assertions.assertThat(details).contains("\"reason\":\"offboarding\""));
    var portcullis =
        reports.of(offboardings.find(o.id()).orElseThrow()).systems().stream()
            .filter(s -> s.system().equals("portcullis"))
            .findFirst()
            .orElseThrow()
            .items();
    Assertions.assertThat(portcullis)
        .extracting(OffboardingReport.ItemView::kind, OffboardingReport.ItemView::how)
        .containsExactlyInAnyOrder(
            Assertions.tuple("DELEGATION", "delegation given: ended"),
            Assertions.tuple("DELEGATION", "delegation received: ended"));
    Assertions.assertThat(
            runtime.createProcessInstanceQuery().processDefinitionKey("delegation").count())
        .as("their timing instances are gone")
        .isZero();
  }

  /**
   * jit-groups #145: an approved future grant must not survive its requester leaving before it
   * starts. Lena's request for tonight, approved this morning, is SCHEDULED when she is offboarded:
   * it ends CANCELLED by the offboarding, its timer gone, and the report lists it.
   */
  @Test
  void anApprovedRequestWaitingForItsScheduledStartIsCancelledAndListed() {
    people.person("lena", "developers");
    Map<String, Object> variables = variables("staging-db-admin", "PT1H");
    variables.put(AccessProcess.STARTS_AT, T0.plus(Duration.ofHours(14)).toString());
    identity.setAuthentication("lena", List.of("developers"));
    ProcessInstance pi;
    try {
      pi =
          runtime.startProcessInstanceByKey(
              AccessProcess.KEY, UUID.randomUUID().toString(), variables);
    } finally {
      identity.clearAuthentication();
    }
    decide(pi, "bob", List.of("team-leads"), "approve", "the window tonight");
    AccessRequest scheduled = requests.find(RequestId.of(pi.getBusinessKey())).orElseThrow();
    Assertions.assertThat(scheduled.status()).isEqualTo(RequestStatus.SCHEDULED);

    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-29")).offboarding();
    drain();

    AccessRequest cancelled = requests.find(scheduled.id()).orElseThrow();
    Assertions.assertThat(cancelled.status()).isEqualTo(RequestStatus.CANCELLED);
    Assertions.assertThat(cancelled.endedBy()).isEqualTo("offboarding:" + o.id());
    Assertions.assertThat(cancelled.grantAttemptedAt()).isNull();
    assertThat(pi).isEnded().hasPassed("endEvent_scheduleCancelled");
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(STAGING))).isFalse();
    Assertions.assertThat(
            reports.of(offboardings.find(o.id()).orElseThrow()).systems().stream()
                .filter(s -> s.system().equals("portcullis"))
                .findFirst()
                .orElseThrow()
                .items())
        .extracting(OffboardingReport.ItemView::kind, OffboardingReport.ItemView::how)
        .containsExactly(
            Assertions.tuple(
                "PENDING_REQUEST",
                "approved, waiting for its scheduled start: cancelled before it, nothing granted"));
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.COMPLETED);
  }

  @Test
  void anApprovedRequestOnItsWayToTheGrantEndsCancelledAndGrantsNothing() {
    people.person("lena", "developers", "oncall");
    ProcessInstance pi =
        request("lena", List.of("developers", "oncall"), "prod-logs-readonly", "PT30M");
    // approval waived: its standing-access check (with the access clock) and grant are jobs that
    // have not run yet when the saga freezes her
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-13")).offboarding();
    for (int i = 0; i < 50 && jobAt(saga(o), OffboardingProcess.TASK_DISCOVER) == null; i++) {
      management.executeJob(
          management
              .createJobQuery()
              .processInstanceId(saga(o).getId())
              .executable()
              .list()
              .get(0)
              .getId());
    }
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    drain();

    AccessRequest r = requests.find(RequestId.of(pi.getBusinessKey())).orElseThrow();
    Assertions.assertThat(r.status()).isEqualTo(RequestStatus.CANCELLED);
    assertThat(pi).isEnded().hasPassed("endEvent_requesterLeft");
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(LOGS))).isFalse();
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.COMPLETED);
  }

  /**
   * Approved before the freeze, its first grant attempt failed and the directory applied it all the
   * same (a late write); its retry comes after the freeze. The grant step refuses the leaver, and
   * since the attempt may have given access, the request ends through the revoke (REVOKED, the
   * access removed), not as a harmless CANCELLED.
   */
  @Test
  void aLeaverWhoseGrantIsRetriedAfterTheFreezeHasTheAttemptRevoked() {
    people.person("lena", "developers");
    createUnreliableTarget(false);
    AccessRequest r = request(request("lena", List.of("developers"), "unreliable-group", "PT1H"));
    ProcessInstance pi =
        runtime
            .createProcessInstanceQuery()
            .processInstanceId(r.processInstanceId())
            .singleResult();
    complete(
        tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult(),
        "bob",
        List.of("team-leads"),
        Map.of("decision", "approve"));
    runJobAt(pi, AccessProcess.TASK_CHECK_STANDING); // and the access clock
    Job grant = jobAt(pi, AccessProcess.TASK_GRANT);
    Assertions.assertThatThrownBy(() -> management.executeJob(grant.getId()))
        .hasMessageContaining("could not add lena");
    createUnreliableTarget(true, Leavers.personDn("lena"));

    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-14")).offboarding();
    runUntilWaitingAt(saga(o), OffboardingProcess.TASK_FREEZE);
    moveClockTo(T0.plus(Duration.ofMinutes(1)));
    runJobAt(pi, AccessProcess.TASK_GRANT);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_REVOKE);
    drain();

    assertThat(pi)
        .isEnded()
        .hasPassed("boundaryEvent_requesterLeft", AccessProcess.TASK_REVOKE)
        .hasNotPassed("endEvent_requesterLeft");
    AccessRequest ended = requests.find(r.id()).orElseThrow();
    Assertions.assertThat(ended.status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(ended.endReason()).isEqualTo("the requester is being offboarded");
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(UNRELIABLE))).isFalse();
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.COMPLETED);
  }

  @Test
  void anInstanceNotStartedByPortcullisIsRefused() {
    Assertions.assertThatThrownBy(
            () ->
                runtime.startProcessInstanceByKey(
                    OffboardingProcess.KEY, UUID.randomUUID().toString()))
        .hasMessageContaining("not bound to an offboarding");
    people.person("lena");
    Offboarding o =
        offboardings
            .start("hr-system", ask("lena", T0.plus(Duration.ofDays(1)), "HR-14"))
            .offboarding();
    Assertions.assertThatThrownBy(
            () -> runtime.startProcessInstanceByKey(OffboardingProcess.KEY, o.id().value()))
        .as("a second saga for a stored offboarding")
        .hasMessageContaining("not bound to an offboarding");
  }

  @Test
  void aSagaDeletedByAnOperatorStartsAgainAndFinishesTheOffboarding() {
    people.person("lena", "developers");
    Offboarding o = offboardings.start("hr-system", ask("lena", null, "HR-15")).offboarding();
    ProcessInstance first = saga(o);
    identity.setAuthentication("dave", List.of("portcullis-admins"));
    try {
      runtime.deleteProcessInstance(first.getId(), "looked stuck", true, true);
    } finally {
      identity.clearAuthentication();
    }
    ProcessInstance second = saga(o);
    Assertions.assertThat(second.getId()).isNotEqualTo(first.getId());
    drain();
    assertThat(second).isEnded().hasPassed("endEvent_offboardingCompleted");
    Assertions.assertThat(offboardings.find(o.id()).orElseThrow().status())
        .isEqualTo(OffboardingStatus.COMPLETED);
    Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(DEVELOPERS))).isFalse();
    Assertions.assertThat(auditOf(o)).contains("offboarding.retried by dave");
  }

  /**
   * A saga that started on the version of offboarding.bpmn from before "Effective time moved" (a
   * scheduled offboarding waits up to a year, across an upgrade) has only its timer to wait for:
   * Portcullis moves that timer itself, earlier and then to now, and the saga runs through that
   * version's own "Start a round" to the end.
   */
  @Test
  void aSagaOfThePreviousVersionIsMovedByItsTimer() {
    var repository = engine.getRepositoryService();
    var previous =
        repository
            .createDeployment()
            .name("offboarding-before-issue-24")
            .addInputStream(
                "offboarding.bpmn",
                getClass().getResourceAsStream("/deployments/offboarding-before-issue-24.bpmn"))
            .deploy();
    try {
      people.person("lena", "developers");
      Offboarding o =
          offboardings
              .start("hr-system", ask("lena", T0.plus(Duration.ofDays(3)), "HR-30"))
              .offboarding();
      ProcessInstance saga = saga(o);
      Assertions.assertThat(
              repository.getProcessDefinition(saga.getProcessDefinitionId()).getDeploymentId())
          .isEqualTo(previous.getId());
      offboardings.start("hr-system", ask("lena", T0.plus(Duration.ofDays(1)), "HR-31"));
      Assertions.assertThat(
              management
                  .createJobQuery()
                  .processInstanceId(saga.getId())
                  .timers()
                  .singleResult()
                  .getDuedate()
                  .toInstant())
          .isEqualTo(T0.plus(Duration.ofDays(1)));
      Instant deactivated = T0.plus(Duration.ofHours(1));
      moveClockTo(deactivated);
      Assertions.assertThat(
              offboardings.deactivate("scim", ask("lena", null, "scim:30")).offboarding().status())
          .isEqualTo(OffboardingStatus.IN_PROGRESS);
      Assertions.assertThat(
              management
                  .createJobQuery()
                  .processInstanceId(saga.getId())
                  .timers()
                  .singleResult()
                  .getDuedate()
                  .toInstant())
          .isEqualTo(deactivated);

      drain();
      assertThat(saga)
          .isEnded()
          .hasPassed(
              OffboardingProcess.TIMER_EFFECTIVE_TIME,
              // through the old version's "Start a round" (no history of its own: a gateway),
              // whose round is counted below
              OffboardingProcess.TASK_FREEZE,
              "endEvent_offboardingCompleted");
      Assertions.assertThat(groups.holds(Username.of("lena"), Target.of(DEVELOPERS))).isFalse();
      var done = offboardings.find(o.id()).orElseThrow();
      Assertions.assertThat(done.startedAt()).isEqualTo(deactivated);
      Assertions.assertThat(reports.of(done).rounds()).isEqualTo(1);
      Assertions.assertThat(reports.of(done).asks())
          .extracting(OffboardingReport.AskView::outcome, OffboardingReport.AskView::appliedAt)
          .containsExactly(
              Assertions.tuple("started", T0),
              Assertions.tuple("moved earlier", T0),
              Assertions.tuple("brought forward to now", deactivated));
    } finally {
      repository.deleteDeployment(previous.getId(), true);
    }
  }

  // ---- helpers

  private AccessRequest activeLogsGrant(String person) {
    ProcessInstance pi =
        request(person, List.of("developers", "oncall"), "prod-logs-readonly", "PT30M");
    drain();
    AccessRequest r = request(pi);
    Assertions.assertThat(r.status()).isEqualTo(RequestStatus.ACTIVE);
    return r;
  }

  static OffboardingAsk ask(String username, Instant at, String reference) {
    return new OffboardingAsk(Username.of(username), at, "left the company", reference);
  }

  private ProcessInstance saga(Offboarding o) {
    return runtime
        .createProcessInstanceQuery()
        .processInstanceId(repository.processInstanceOf(o.id()))
        .singleResult();
  }

  /** Runs each due job once; returns how many failed. */
  private int drainOnce() {
    int failed = 0;
    for (int i = 0; i < 500; i++) {
      List<Job> due = management.createJobQuery().executable().list();
      if (due.isEmpty()) {
        return failed;
      }
      try {
        management.executeJob(due.get(0).getId());
      } catch (RuntimeException e) {
        failed++;
        if (management.createJobQuery().executable().list().stream()
            .allMatch(j -> j.getId().equals(due.get(0).getId()))) {
          return failed;
        }
      }
    }
    return failed;
  }

  private void runUntilWaitingAt(ProcessInstance saga, String activity) {
    for (int i = 0; i < 200; i++) {
      if (management
              .createJobQuery()
              .processInstanceId(saga.getId())
              .activityId(activity)
              .executable()
              .count()
          > 0) {
        return;
      }
      List<Job> due = management.createJobQuery().executable().list();
      Assertions.assertThat(due).as("jobs before " + activity).isNotEmpty();
      management.executeJob(due.get(0).getId());
    }
    Assertions.fail("never reached " + activity);
  }

  private List<String> auditOf(Offboarding o) {
    return jdbc.queryForList(
        "select action || ' by ' || actor from audit_event where request_id = ? order by id",
        String.class,
        o.id().value());
  }
}
