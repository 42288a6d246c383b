package io.portcullis.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connector;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.support.LdapNameBuilder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The drift sweep as a process, on the demo directory with the engine clock: staging-db-admin says
 * {@code on-drift: remove} in the test profile, prod-db-readonly {@code report}.
 */
@PortcullisTest
class DriftSweepProcessTest extends ProcessFixture {

  private static final Username DAVE = Username.of("dave");
  private static final Username CAROL = Username.of("carol");
  private static final Username ERIN = Username.of("erin");

  @Autowired Catalog catalog;
  @Autowired Connectors connectors;
  @Autowired DriftSweeps sweeps;
  @Autowired HistoryService history;
  @Autowired TransactionTemplate transactions;

  private long mark;

  @BeforeEach
  void markTheTrail() {
    Long last = jdbc.queryForObject("select coalesce(max(id), 0) from audit_event", Long.class);
    mark = last == null ? 0 : last;
  }

  @AfterEach
  void cleanUp() {
    for (String id : List.of("staging-db-admin", "prod-db-readonly")) {
      for (Username person : List.of(CAROL, DAVE, ERIN)) {
        connector().revoke(person, resource(id).target());
      }
    }
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKeyIn(DriftProcess.KEY, DriftProcess.FINDING_KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
  }

  @Test
  void theStoredReportSaysPerResourceWhatWasListedAndWhatWasDone() {
    connector().grant(DAVE, resource("staging-db-admin").target());
    connector().grant(DAVE, resource("prod-db-readonly").target());

    SweepReport report = sweeps.report(sweep());

    assertThat(report.state()).isEqualTo("finished");
    assertThat(report.startedBy()).isEqualTo("drift-sweep");
    assertThat(report.finishedAt()).isNotNull();
    SweepReport.ResourceSwept staging = swept(report, "staging-db-admin");
    assertThat(staging.holders()).isPositive();
    assertThat(staging.unreadable()).isNull();
    assertThat(staging.findings())
        .extracting(SweepReport.Finding::person, SweepReport.Finding::action)
        .containsExactly(tuple("dave", "removed"));
    assertThat(swept(report, "prod-db-readonly").findings())
        .extracting(SweepReport.Finding::person, SweepReport.Finding::action)
        .containsExactly(tuple("dave", "reported"));
  }

  @Test
  void onReportOneTaskPerFindingForTheAdminsNotOneMoreEverySweepAndItsCloseIsAudited() {
    connector().grant(DAVE, resource("prod-db-readonly").target());

    sweep();
    String second = sweep();

    List<Task> open = tasks.createTaskQuery().processDefinitionKey(DriftProcess.FINDING_KEY).list();
    assertThat(open).singleElement().extracting(Task::getName).asString().contains("dave");
    assertThat(
            tasks
                .createTaskQuery()
                .processDefinitionKey(DriftProcess.FINDING_KEY)
                .taskCandidateGroup("portcullis-admins")
                .count())
        .isEqualTo(1);
    assertThat(swept(sweeps.report(second), "prod-db-readonly").findings())
        .singleElement()
        .extracting(SweepReport.Finding::detail)
        .isEqualTo("its task is open already");

    // a non-admin past the engine's authorizations is refused by the task itself
    assertThatThrownBy(
            () ->
                as(
                    "bob",
                    List.of("team-leads"),
                    () ->
                        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                            .getCommandExecutorTxRequired()
                            .execute(
                                context ->
                                    context.runWithoutAuthorization(
                                        () -> {
                                          tasks.complete(open.get(0).getId());
                                          return null;
                                        }))))
        .hasMessageContaining("Only an admin");
    assertThat(
            jdbc.queryForList(
                "select actor from audit_event where action = 'action.refused'"
                    + " and resource = 'prod-db-readonly' and id > ?",
                String.class,
                mark))
        .containsExactly("bob");
    complete(
        open.get(0),
        "dave",
        List.of("portcullis-admins"),
        Map.of(DriftProcess.COMMENT, "removed by hand, asked the DBA why"));
    assertThat(
            jdbc.queryForList(
                "select details from audit_event where action = 'drift.finding-closed'"
                    + " and subject = 'dave' and resource = 'prod-db-readonly' and actor = 'dave'"
                    + " and id > ?",
                String.class,
                mark))
        .singleElement()
        .asString()
        .contains("asked the DBA why");

    // still there after the close: a new task
    sweep();
    assertThat(tasks.createTaskQuery().processDefinitionKey(DriftProcess.FINDING_KEY).count())
        .isEqualTo(1);
    assertThat(tasks.createTaskQuery().taskId(open.get(0).getId()).count()).isZero();
  }

  @Test
  void aSweepDueWhileAnotherRunsLeavesTheWorkToIt() {
    Job timer =
        management.createJobQuery().processDefinitionKey(DriftProcess.KEY).timers().singleResult();
    management.executeJob(timer.getId());
    ProcessInstance running =
        runtime.createProcessInstanceQuery().processDefinitionKey(DriftProcess.KEY).singleResult();
    String id = sweepOf(running.getId());

    Job next =
        management.createJobQuery().processDefinitionKey(DriftProcess.KEY).timers().singleResult();
    management.executeJob(next.getId());

    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(DriftProcess.KEY).list())
        .extracting(ProcessInstance::getId)
        .containsExactly(running.getId());
    assertThat(
            history
                .createHistoricActivityInstanceQuery()
                .activityId(DriftProcess.END_LEFT_TO_RUNNING)
                .count())
        .isEqualTo(1);
    assertThat(sweeps.report(id).state()).isEqualTo("running");
    assertThatThrownBy(() -> sweeps.start(DAVE)).isInstanceOf(ConflictException.class);
  }

  @Test
  void aSweepStoppedByAnIncidentHoldsNoLaterSweepUp() {
    connector().grant(DAVE, resource("staging-db-admin").target());
    Job timer =
        management.createJobQuery().processDefinitionKey(DriftProcess.KEY).timers().singleResult();
    management.executeJob(timer.getId());
    ProcessInstance stuck =
        runtime.createProcessInstanceQuery().processDefinitionKey(DriftProcess.KEY).singleResult();
    String stuckId = sweepOf(stuck.getId());
    // a step's retries ran out: an incident, which only an operator moves on
    management.setJobRetries(
        management.createJobQuery().processInstanceId(stuck.getId()).list().get(0).getId(), 0);
    assertThat(runtime.createIncidentQuery().processInstanceId(stuck.getId()).count()).isEqualTo(1);

    SweepReport started = sweeps.start(DAVE);

    assertThat(started.state()).isEqualTo("running");
    assertThat(sweeps.report(stuckId).finishedAt()).isNotNull();
    runSweepJobs();
    assertThat(sweeps.report(started.id()).state()).isEqualTo("finished");
    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isFalse();
    // nor is the timer's next sweep left to it
    management.executeJob(
        management
            .createJobQuery()
            .processDefinitionKey(DriftProcess.KEY)
            .timers()
            .singleResult()
            .getId());
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(DriftProcess.KEY).count())
        .isEqualTo(2);
  }

  @Test
  void anAdminsSweepRunsAtOnceAndSaysWhoStartedIt() {
    connector().grant(DAVE, resource("staging-db-admin").target());

    SweepReport started = sweeps.start(DAVE);

    assertThat(started.state()).isEqualTo("running");
    assertThat(started.startedBy()).isEqualTo("dave");
    runSweepJobs();
    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isFalse();
    assertThat(sweeps.report(started.id()).state()).isEqualTo("finished");
    assertThat(
            jdbc.queryForList(
                "select actor from audit_event where action = 'drift.sweep-started' and id > ?",
                String.class,
                mark))
        .containsExactly("dave");
  }

  @Test
  void aMemberAddedByHandIsFoundAndRemovedAndTheTrailSaysWhy() {
    // by hand, with the LDAP API, as an administrator of the directory would
    ldap.modifyAttributes(
        LdapNameBuilder.newInstance(resource("staging-db-admin").target().value()).build(),
        new ModificationItem[] {
          new ModificationItem(
              DirContext.ADD_ATTRIBUTE,
              new BasicAttribute("member", "uid=dave,ou=people,dc=portcullis,dc=demo"))
        });
    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isTrue();

    sweep();

    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isFalse();
    assertThat(trail("dave", "staging-db-admin"))
        .containsExactly("access.drift-found", "access.drift-removed");
    assertThat(
            jdbc.queryForList(
                "select details from audit_event where subject = 'dave' and id > ?"
                    + " and action = 'access.drift-removed'",
                String.class,
                mark))
        .singleElement()
        .asString()
        .contains("neither a live grant nor the resource's standing list");
  }

  @Test
  void aStandingMemberIsUntouched() {
    // the test profile lets erin hold staging-db-admin standing
    connector().grant(ERIN, resource("staging-db-admin").target());
    connector().grant(DAVE, resource("staging-db-admin").target());

    sweep();

    assertThat(connector().holds(ERIN, resource("staging-db-admin").target())).isTrue();
    assertThat(trail("erin", "staging-db-admin")).isEmpty();
    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isFalse();
  }

  @Test
  void onReportTheMemberIsFoundAndStays() {
    connector().grant(DAVE, resource("prod-db-readonly").target());

    sweep();

    assertThat(connector().holds(DAVE, resource("prod-db-readonly").target())).isTrue();
    assertThat(trail("dave", "prod-db-readonly")).containsExactly("access.drift-found");
  }

  @Test
  void aGrantInFlightIsNeitherFoundNorRemoved() {
    ProcessInstance pi = approved("carol", "staging-db-admin", "PT1H");
    runJobAt(pi, AccessProcess.TASK_CHECK_STANDING); // and the access clock
    // the grant took; its step has not confirmed it yet
    connector().grant(CAROL, resource("staging-db-admin").target());

    sweep();

    assertThat(connector().holds(CAROL, resource("staging-db-admin").target())).isTrue();
    assertThat(trail("carol", "staging-db-admin")).isEmpty();
  }

  @Test
  void aSystemThatCannotBeReadIsAFindingOnTheLastAttemptAndTheOthersAreSwept() {
    createUnreliableTarget(false); // not a group: its members cannot be read
    connector().grant(DAVE, resource("staging-db-admin").target());

    sweep();

    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isFalse();
    assertThat(
            jdbc.queryForList(
                "select action from audit_event where resource = 'unreliable-group' and id > ?",
                String.class,
                mark))
        .containsExactly("access.drift-found");
    assertThat(runtime.createIncidentQuery().processDefinitionKeyIn(DriftProcess.KEY).list())
        .isEmpty();
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(DriftProcess.KEY).count())
        .isZero();
  }

  @Test
  void aRemovalThatFailsOnTheLastAttemptIsAFindingNotAnIncident() throws Exception {
    createUnreliableTarget(true, "uid=dave,ou=people,dc=portcullis,dc=demo");
    String instance = timerSweep();
    String id = sweepOf(instance);
    Job step = stepOf(instance, "unreliable-group");
    management.setJobRetries(step.getId(), 1);

    // the directory loses the group between the listing and the removal
    runHeldAfterTheListing(id, "unreliable-group", step, this::removeUnreliableTarget);
    runSweepJobs();

    assertThat(swept(sweeps.report(id), "unreliable-group").findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.person()).isEqualTo("dave");
              assertThat(f.action()).isEqualTo("removal-failed");
              assertThat(f.detail()).contains("could not remove dave");
            });
    assertThat(trail("dave", "unreliable-group")).containsExactly("access.drift-found");
    assertThat(runtime.createIncidentQuery().processDefinitionKeyIn(DriftProcess.KEY).count())
        .isZero();
    assertThat(sweeps.report(id).state()).isEqualTo("finished");
  }

  @Test
  void aGrantThatGoesLiveBetweenTheListingAndTheRemovalIsKept() throws Exception {
    ProcessInstance grant = approved("carol", "staging-db-admin", "PT1H");
    // added by hand as well: drift, as long as her grant is not attempted
    connector().grant(CAROL, resource("staging-db-admin").target());
    String instance = timerSweep();
    String id = sweepOf(instance);

    // carol's grant goes live while the sweep is between its listing and its removal
    runHeldAfterTheListing(
        id,
        "staging-db-admin",
        stepOf(instance, "staging-db-admin"),
        () -> runJobAt(grant, AccessProcess.TASK_CHECK_STANDING)); // the check, and the clock
    runSweepJobs();

    assertThat(connector().holds(CAROL, resource("staging-db-admin").target())).isTrue();
    assertThat(swept(sweeps.report(id), "staging-db-admin").findings())
        .extracting(SweepReport.Finding::person, SweepReport.Finding::action)
        .containsExactly(tuple("carol", "kept-because-granted"));
    assertThat(trail("carol", "staging-db-admin")).containsExactly("access.drift-found");
    runtime.deleteProcessInstance(grant.getId(), "test over", true, true);
  }

  /** Fires the cycle's timer; returns the sweep's instance. */
  private String timerSweep() {
    management.executeJob(
        management
            .createJobQuery()
            .processDefinitionKey(DriftProcess.KEY)
            .timers()
            .singleResult()
            .getId());
    return runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(DriftProcess.KEY)
        .singleResult()
        .getId();
  }

  private Job stepOf(String instance, String resource) {
    return management.createJobQuery().processInstanceId(instance).executable().list().stream()
        .filter(
            j -> resource.equals(runtime.getVariable(j.getExecutionId(), DriftProcess.RESOURCE)))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Runs the resource's step in a thread of its own, which waits once it has listed the holders and
   * compared them with what is sanctioned (on the line of the report it then replaces, which an
   * earlier attempt left and another transaction holds), runs {@code meanwhile}, then lets it go
   * on.
   */
  private void runHeldAfterTheListing(String sweep, String resource, Job step, Runnable meanwhile)
      throws Exception {
    jdbc.update(
        "insert into drift_sweep_resource (sweep_id, resource_id, swept_at)"
            + " values (?, ?, current_timestamp)",
        sweep,
        resource);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> hold =
        CompletableFuture.runAsync(
            () ->
                transactions.executeWithoutResult(
                    tx -> {
                      jdbc.update(
                          "update drift_sweep_resource set holders = 0"
                              + " where sweep_id = ? and resource_id = ?",
                          sweep,
                          resource);
                      held.countDown();
                      await(release);
                      tx.setRollbackOnly();
                    }));
    await(held);
    CompletableFuture<Void> sweeping =
        CompletableFuture.runAsync(() -> management.executeJob(step.getId()));
    try {
      waitUntilASessionWaitsForALock(sweeping);
      meanwhile.run();
    } finally {
      release.countDown();
    }
    hold.get(30, TimeUnit.SECONDS);
    sweeping.get(30, TimeUnit.SECONDS);
  }

  private void waitUntilASessionWaitsForALock(CompletableFuture<Void> sweeping) {
    Awaitility.await("the sweep waits for the held line")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .failFast("the sweep ended before it waited", sweeping::isDone)
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from information_schema.sessions"
                            + " where blocker_id is not null",
                        Integer.class)
                    > 0);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fires the cycle's timer and runs the sweep's jobs, moving the clock past each retry.
   *
   * @return the sweep's id
   */
  private String sweep() {
    Job timer =
        management.createJobQuery().processDefinitionKey(DriftProcess.KEY).timers().singleResult();
    management.executeJob(timer.getId());
    String id =
        sweepOf(
            runtime
                .createProcessInstanceQuery()
                .processDefinitionKey(DriftProcess.KEY)
                .singleResult()
                .getId());
    runSweepJobs();
    return id;
  }

  private String sweepOf(String processInstanceId) {
    return jdbc.queryForObject(
        "select id from drift_sweep where process_instance_id = ?",
        String.class,
        processInstanceId);
  }

  private static SweepReport.ResourceSwept swept(SweepReport report, String resource) {
    return report.resources().stream()
        .filter(r -> r.resource().equals(resource))
        .findFirst()
        .orElseThrow();
  }

  /** Runs the sweep's jobs (not its timer), moving the clock past each retry. */
  private void runSweepJobs() {
    Job timer =
        management.createJobQuery().processDefinitionKey(DriftProcess.KEY).timers().singleResult();
    for (int i = 0; i < 100; i++) {
      List<Job> due =
          management.createJobQuery().processDefinitionKey(DriftProcess.KEY).executable().list();
      due = due.stream().filter(j -> !j.getId().equals(timer.getId())).toList();
      List<Job> waiting =
          management
              .createJobQuery()
              .processDefinitionKey(DriftProcess.KEY)
              .withRetriesLeft()
              .list()
              .stream()
              .filter(j -> j.getProcessInstanceId() != null)
              .toList();
      if (waiting.isEmpty()) {
        return;
      }
      if (due.isEmpty()) {
        ClockUtil.setCurrentTime(
            Date.from(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofMinutes(2))));
        continue;
      }
      try {
        management.executeJob(due.get(0).getId());
      } catch (RuntimeException failedAttempt) {
        // retried after its cycle's wait
      }
    }
  }

  private List<String> trail(String subject, String resource) {
    return jdbc.queryForList(
        "select action from audit_event where subject = ? and resource = ? and id > ?"
            + " and action like 'access.drift-%' order by id",
        String.class, subject, resource, mark);
  }

  private Resource resource(String id) {
    return catalog.find(ResourceId.of(id)).orElseThrow();
  }

  private Connector connector() {
    return connectors.named(resource("staging-db-admin").connector());
  }
}
