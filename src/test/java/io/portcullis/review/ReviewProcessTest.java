package io.portcullis.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connector;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.request.RequestStatus;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.naming.Name;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.NameNotFoundException;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * An access review as a process, on the demo directory with the engine clock. The test profile's
 * reviewed-group allows erin, bob and carol standing, reviewed by security (carol); reviewed-kept
 * allows erin, and keeps a holder nobody reviewed. dave is added by hand too: drift, not a holder
 * to review.
 */
@PortcullisTest
class ReviewProcessTest extends ProcessFixture {

  static final String REVIEWED = "reviewed-group";
  static final String KEPT = "reviewed-kept";
  private static final List<String> SECURITY = List.of("security");

  @Autowired AccessReviews reviews;
  @Autowired ReviewStore store;
  @Autowired Catalog catalog;
  @Autowired Connectors connectors;
  @Autowired FormService forms;

  private long mark;

  @BeforeEach
  void makeTheGroups() {
    Long last = jdbc.queryForObject("select coalesce(max(id), 0) from audit_event", Long.class);
    mark = last == null ? 0 : last;
    group(REVIEWED, "erin", "bob", "carol", "dave");
    group(KEPT, "erin");
  }

  @AfterEach
  void cleanUp() {
    ReviewTables.deleteAll(runtime, jdbc);
    removeGroup(REVIEWED);
    removeGroup(KEPT);
  }

  @Test
  void theOwnersKeepOneHolderAndRemoveAnotherWhoIsRevokedAndReadBack() {
    ProcessInstance pi = started(REVIEWED);

    assertThat(holdersOf(pi)).containsExactly("bob", "carol", "erin");
    assertThat(store.items(campaign(pi).id()).get(2).history())
        .contains("Requests for it through Portcullis: 0.")
        .contains("Last grant through Portcullis: never.")
        .contains("Last use: unknown");
    assertThat(
            tasks
                .createTaskQuery()
                .processInstanceId(pi.getId())
                .taskCandidateGroup("security")
                .count())
        .isEqualTo(3);

    Task erinsTask = taskOf(pi, "erin");
    assertThat(erinsTask.getName()).isEqualTo("Review erin's access to reviewed-group");
    assertThat(erinsTask.getDueDate().toInstant()).isEqualTo(campaign(pi).deadline());
    assertThat(forms.getDeployedTaskForm(erinsTask.getId())).isNotNull();
    assertThat(tasks.getVariableLocal(erinsTask.getId(), ReviewTaskOpened.HISTORY))
        .asString()
        .contains("Last use: unknown");

    complete(erinsTask, "carol", SECURITY, decision("remove", "left the team"));
    complete(taskOf(pi, "bob"), "carol", SECURITY, decision("keep", null));
    BpmnAwareTests.assertThat(pi).isWaitingAt(ReviewProcess.TASK_REVOKE_HOLDER);
    assertThat(holds("erin", REVIEWED)).isTrue();

    runJobAt(pi, ReviewProcess.TASK_REVOKE_HOLDER);

    assertThat(holds("erin", REVIEWED)).isFalse();
    assertThat(holds("bob", REVIEWED)).isTrue();
    ReviewItem erin = item(pi, "erin");
    assertThat(erin.outcome()).isEqualTo(Outcome.REMOVE);
    assertThat(erin.decidedBy()).isEqualTo("carol");
    assertThat(erin.comment()).isEqualTo("left the team");
    assertThat(erin.revokedAt()).isNotNull();
    assertThat(item(pi, "bob").outcome()).isEqualTo(Outcome.KEEP);
    assertThat(trail(REVIEWED))
        .containsExactly(
            "review.started by system-test",
            "review.decided erin by carol",
            "review.decided bob by carol",
            "review.revoked erin by system");
    // carol's own item waits for another owner: the campaign stays open
    assertThat(campaign(pi).status()).isEqualTo(Campaign.OPEN);
  }

  @Test
  void aHolderCannotReviewTheirOwnAccessAtAnyDoor() {
    ProcessInstance pi = started(REVIEWED);

    assertThatThrownBy(
            () -> complete(taskOf(pi, "carol"), "carol", SECURITY, decision("keep", null)))
        .hasRootCauseInstanceOf(ReviewRefusedException.class)
        .rootCause()
        .hasMessage("a holder cannot review their own access");
    assertThat(item(pi, "carol").outcome()).isEqualTo(Outcome.PENDING);
    // someone outside the owner group, past the engine's authorizations: the guard alone
    assertThatThrownBy(
            () ->
                as(
                    "alice",
                    List.of("developers", "security-not"),
                    () ->
                        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                            .getCommandExecutorTxRequired()
                            .execute(
                                c ->
                                    c.runWithoutAuthorization(
                                        () -> {
                                          tasks.complete(
                                              taskOf(pi, "erin").getId(), decision("keep", null));
                                          return null;
                                        }))))
        .hasRootCauseInstanceOf(ReviewRefusedException.class)
        .rootCause()
        .hasMessageContaining("is not in the owner group security");
    // a completion that carries more than the decision
    Map<String, Object> more = new HashMap<>(decision("keep", null));
    more.put(ReviewProcess.REMOVE_HOLDER, false);
    assertThatThrownBy(() -> complete(taskOf(pi, "erin"), "carol", SECURITY, more))
        .hasRootCauseInstanceOf(ReviewRefusedException.class);
    assertThat(item(pi, "erin").outcome()).isEqualTo(Outcome.PENDING);
  }

  @Test
  void nobodyAnswersAndTheDeadlineRevokesEveryUnreviewedHolder() {
    ProcessInstance pi = started(REVIEWED);
    complete(taskOf(pi, "bob"), "carol", SECURITY, decision("keep", null));
    Instant deadline = campaign(pi).deadline();
    assertThat(deadline).isEqualTo(T0.plus(Duration.ofDays(14)));

    moveClockTo(deadline.minusSeconds(60));
    assertThat(dueTimers(pi, ReviewProcess.TIMER_REVIEW_DEADLINE)).isEmpty();
    moveClockTo(deadline.plusSeconds(1));
    for (Job timer : dueTimers(pi, ReviewProcess.TIMER_REVIEW_DEADLINE)) {
      management.executeJob(timer.getId());
    }
    runAll(pi);

    assertThat(item(pi, "erin").outcome()).isEqualTo(Outcome.UNREVIEWED_REVOKED);
    assertThat(item(pi, "carol").outcome()).isEqualTo(Outcome.UNREVIEWED_REVOKED);
    assertThat(item(pi, "bob").outcome()).isEqualTo(Outcome.KEEP);
    assertThat(holds("erin", REVIEWED)).isFalse();
    assertThat(holds("carol", REVIEWED)).isFalse();
    assertThat(holds("bob", REVIEWED)).isTrue();
    assertThat(trail(REVIEWED))
        .contains(
            "review.unreviewed carol by system",
            "review.unreviewed erin by system",
            "review.revoked carol by system",
            "review.revoked erin by system");
    BpmnAwareTests.assertThat(pi).isEnded();
    assertThat(campaign(pi).status()).isEqualTo(Campaign.CLOSED);
  }

  @Test
  void nobodyAnswersWhereTheResourceSaysKeepAndTheAdminsGetATask() {
    ProcessInstance pi = started(KEPT);
    assertThat(campaign(pi).deadline()).isEqualTo(T0.plus(Duration.ofDays(7)));

    moveClockTo(campaign(pi).deadline().plusSeconds(1));
    for (Job timer : dueTimers(pi, ReviewProcess.TIMER_REVIEW_DEADLINE)) {
      management.executeJob(timer.getId());
    }
    runAll(pi);

    assertThat(item(pi, "erin").outcome()).isEqualTo(Outcome.UNREVIEWED_KEPT);
    assertThat(holds("erin", KEPT)).isTrue();
    Task followUp = tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult();
    assertThat(followUp.getTaskDefinitionKey()).isEqualTo(ReviewProcess.TASK_FOLLOW_UP_UNREVIEWED);
    assertThat(
            tasks
                .createTaskQuery()
                .taskId(followUp.getId())
                .taskCandidateGroup("portcullis-admins")
                .count())
        .isEqualTo(1);
    assertThat(trail(KEPT)).contains("review.unreviewed erin by system");
    assertThat(trail(KEPT)).doesNotContain("review.revoked erin by system");

    as("dave", List.of("portcullis-admins"), () -> tasks.complete(followUp.getId()));
    runAll(pi);
    BpmnAwareTests.assertThat(pi).isEnded();
  }

  @Test
  void theOwnersAreRemindedThreeDaysBeforeTheDeadlineOfWhatStillWaits() {
    ProcessInstance pi = started(REVIEWED);
    complete(taskOf(pi, "bob"), "carol", SECURITY, decision("keep", null));
    Instant reminder = campaign(pi).deadline().minus(Duration.ofDays(3));

    moveClockTo(reminder.minusSeconds(60));
    assertThat(dueTimers(pi, ReviewProcess.TIMER_REMINDER_DUE)).isEmpty();
    moveClockTo(reminder.plusSeconds(1));
    management.executeJob(dueTimers(pi, ReviewProcess.TIMER_REMINDER_DUE).get(0).getId());
    runJobAt(pi, ReviewProcess.TASK_REMIND_OWNERS);

    assertThat(
            jdbc.queryForList(
                "select details from audit_event where action = 'review.reminded' and resource = ?"
                    + " and id > ?",
                String.class,
                REVIEWED,
                mark))
        .singleElement()
        .asString()
        .contains("\"pending\":2")
        .contains("\"owner\":\"security\"");
    // the tasks still wait for the owners
    assertThat(tasks.createTaskQuery().processInstanceId(pi.getId()).count()).isEqualTo(2);
  }

  @Test
  void aPersonRemovedByAReviewCanStillAskForTheAccessJustInTime() {
    ProcessInstance pi = started(REVIEWED);
    complete(taskOf(pi, "erin"), "carol", SECURITY, decision("remove", null));
    runJobAt(pi, ReviewProcess.TASK_REVOKE_HOLDER);
    assertThat(holds("erin", REVIEWED)).isFalse();

    ProcessInstance asked = approved("erin", REVIEWED, "PT1H");
    drainRequest(asked);

    assertThat(request(asked).status()).isEqualTo(RequestStatus.ACTIVE);
    assertThat(holds("erin", REVIEWED)).isTrue();
  }

  @Test
  void aHolderWithALiveGrantIsNotReviewed() {
    group(REVIEWED, "erin");
    ProcessInstance asked = approved("bob", REVIEWED, "PT1H");
    drainRequest(asked);
    assertThat(request(asked).status()).isEqualTo(RequestStatus.ACTIVE);
    assertThat(holds("bob", REVIEWED)).isTrue();

    ProcessInstance pi = started(REVIEWED);

    // bob, whom the standing list allows, holds it by a live grant now: the grant's end is what
    // removes it, not a review
    assertThat(holdersOf(pi)).containsExactly("erin");
  }

  @Test
  void aRevokeThatKeepsFailingEndsInAnIncidentAfterItsRetries() {
    ProcessInstance pi = started(REVIEWED);
    complete(taskOf(pi, "erin"), "carol", SECURITY, decision("remove", "left the team"));
    BpmnAwareTests.assertThat(pi).isWaitingAt(ReviewProcess.TASK_REVOKE_HOLDER);
    // the directory loses the group after the listing: every revoke fails until it is back
    removeGroup(REVIEWED);

    int attempts = 0;
    for (Job job = revokeJob(pi); job != null && job.getRetries() > 0; job = revokeJob(pi)) {
      moveClockTo(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofMinutes(2)));
      attempts++;
      String id = job.getId();
      assertThatThrownBy(() -> management.executeJob(id))
          .hasMessageContaining("could not remove erin");
      assertThat(attempts).as("retries without end").isLessThan(20);
    }

    assertThat(attempts).as("R5: five attempts").isEqualTo(5);
    assertThat(
            runtime
                .createIncidentQuery()
                .processInstanceId(pi.getId())
                .activityId(ReviewProcess.TASK_REVOKE_HOLDER)
                .singleResult()
                .getIncidentMessage())
        .contains("could not remove erin");
    assertThat(item(pi, "erin").revokedAt()).isNull();
    assertThat(trail(REVIEWED)).doesNotContain("review.revoked erin by system");
  }

  @Test
  void twoAdminsStartingAReviewOfOneResourceAtOnceGetOneCampaign() throws Exception {
    for (int round = 0; round < 5; round++) {
      CyclicBarrier together = new CyclicBarrier(2);
      List<CompletableFuture<String>> starts = new ArrayList<>();
      for (String admin : List.of("dave", "frank")) {
        starts.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    together.await(30, TimeUnit.SECONDS);
                    reviews.start(ResourceId.of(KEPT), admin);
                    return "started";
                  } catch (ConflictException refused) {
                    return "refused";
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      List<String> outcomes = new ArrayList<>();
      for (CompletableFuture<String> start : starts) {
        outcomes.add(start.get(60, TimeUnit.SECONDS));
      }

      assertThat(outcomes).as("round %d", round).containsExactlyInAnyOrder("started", "refused");
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from access_review where resource_id = ? and status = 'OPEN'",
                  Integer.class,
                  KEPT))
          .as("round %d", round)
          .isEqualTo(1);
      ReviewTables.deleteAll(runtime, jdbc);
    }
  }

  private Job revokeJob(ProcessInstance pi) {
    return management
        .createJobQuery()
        .processInstanceId(pi.getId())
        .activityId(ReviewProcess.TASK_REVOKE_HOLDER)
        .singleResult();
  }

  @Test
  void theScheduleStartsAReviewWhenItIsDueAndNeverASecondWhileOneIsOpen() {
    Job cycle =
        management
            .createJobQuery()
            .processDefinitionKey(ReviewProcess.SCHEDULE_KEY)
            .timers()
            .activityId(ReviewProcess.START_REVIEWS_DUE)
            .singleResult();
    Instant first = cycle.getDuedate().toInstant().plusSeconds(1);
    moveClockTo(first);
    management.executeJob(cycle.getId());
    runScheduled();

    // reviewed-group, never reviewed, is due at the first run; reviewed-kept is reviewed on demand
    assertThat(startedOf(REVIEWED)).containsExactly(first);
    assertThat(startedOf(KEPT)).isEmpty();

    Job next = nextCycle();
    moveClockTo(next.getDuedate().toInstant().plusSeconds(1));
    management.executeJob(next.getId());
    runScheduled();
    assertThat(startedOf(REVIEWED)).as("one open review: no second").hasSize(1);

    // closed, the next is due review-every after the first started
    jdbc.update(
        "update access_review set status = 'CLOSED', open_resource = null where resource_id = ?",
        REVIEWED);
    Instant due = first.plus(Duration.ofDays(90));
    moveClockTo(due.minusSeconds(3600));
    Job before = nextCycle();
    management.executeJob(before.getId());
    runScheduled();
    assertThat(startedOf(REVIEWED)).hasSize(1);
    moveClockTo(due.plusSeconds(1));
    management.executeJob(nextCycle().getId());
    runScheduled();
    assertThat(startedOf(REVIEWED)).hasSize(2);
  }

  private Job nextCycle() {
    return management
        .createJobQuery()
        .processDefinitionKey(ReviewProcess.SCHEDULE_KEY)
        .timers()
        .activityId(ReviewProcess.START_REVIEWS_DUE)
        .singleResult();
  }

  /** Runs the schedule's async step, of every instance the cycle started. */
  private void runScheduled() {
    for (Job job :
        management
            .createJobQuery()
            .processDefinitionKey(ReviewProcess.SCHEDULE_KEY)
            .activityId(ReviewProcess.TASK_START_DUE_REVIEWS)
            .list()) {
      management.executeJob(job.getId());
    }
  }

  private List<Instant> startedOf(String resource) {
    return jdbc
        .queryForList(
            "select started_at from access_review where resource_id = ? order by started_at",
            OffsetDateTime.class,
            resource)
        .stream()
        .map(OffsetDateTime::toInstant)
        .toList();
  }

  // --- helpers

  private ProcessInstance started(String resource) {
    reviews.start(ResourceId.of(resource), "system-test");
    ProcessInstance pi = instanceOf(resource);
    BpmnAwareTests.assertThat(pi).isWaitingAt(ReviewProcess.TASK_LIST_HOLDERS);
    runJobAt(pi, ReviewProcess.TASK_LIST_HOLDERS);
    return pi;
  }

  private ProcessInstance instanceOf(String resource) {
    String pid =
        jdbc.queryForObject(
            "select process_instance_id from access_review where resource_id = ? and status = 'OPEN'",
            String.class,
            resource);
    return runtime.createProcessInstanceQuery().processInstanceId(pid).singleResult();
  }

  private Campaign campaign(ProcessInstance pi) {
    return jdbc
        .queryForList(
            "select id from access_review where process_instance_id = ?", String.class, pi.getId())
        .stream()
        .map(id -> store.find(id).orElseThrow())
        .findFirst()
        .orElseThrow();
  }

  private List<String> holdersOf(ProcessInstance pi) {
    return store.items(campaign(pi).id()).stream().map(i -> i.holder().value()).toList();
  }

  private ReviewItem item(ProcessInstance pi, String holder) {
    return store.items(campaign(pi).id()).stream()
        .filter(i -> i.holder().value().equals(holder))
        .findFirst()
        .orElseThrow();
  }

  private Task taskOf(ProcessInstance pi, String holder) {
    return tasks.createTaskQuery().taskId(item(pi, holder).taskId()).singleResult();
  }

  private List<Job> dueTimers(ProcessInstance pi, String activityId) {
    return management
        .createJobQuery()
        .processInstanceId(pi.getId())
        .timers()
        .activityId(activityId)
        .executable()
        .list();
  }

  /** Runs this instance's due jobs until none is left. */
  private void runAll(ProcessInstance pi) {
    for (int i = 0; i < 50; i++) {
      List<Job> due = management.createJobQuery().processInstanceId(pi.getId()).executable().list();
      if (due.isEmpty()) {
        return;
      }
      management.executeJob(due.get(0).getId());
    }
  }

  private void drainRequest(ProcessInstance asked) {
    for (int i = 0; i < 20; i++) {
      List<Job> due =
          management.createJobQuery().processInstanceId(asked.getId()).executable().list();
      if (due.isEmpty()) {
        return;
      }
      management.executeJob(due.get(0).getId());
    }
  }

  private static Map<String, Object> decision(String decision, String comment) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(ReviewProcess.DECISION, decision);
    if (comment != null) {
      variables.put(ReviewProcess.COMMENT, comment);
    }
    return variables;
  }

  private List<String> trail(String resource) {
    return jdbc.queryForList(
        "select action || coalesce(' ' || subject, '') || ' by ' || actor from audit_event"
            + " where resource = ? and action like 'review.%' and id > ? order by id",
        String.class, resource, mark);
  }

  private boolean holds(String person, String resource) {
    Resource r = catalog.find(ResourceId.of(resource)).orElseThrow();
    Connector connector = connectors.named(r.connector());
    return connector.holds(Username.of(person), r.target());
  }

  private void group(String cn, String... members) {
    removeGroup(cn);
    DirContextAdapter entry = new DirContextAdapter(dn(cn));
    entry.setAttributeValue("cn", cn);
    entry.setAttributeValues("objectClass", new String[] {"top", "groupOfNames"});
    List<String> values =
        new ArrayList<>(List.of("cn=empty-group-placeholder,dc=portcullis,dc=demo"));
    for (String member : members) {
      values.add("uid=" + member + ",ou=people,dc=portcullis,dc=demo");
    }
    entry.setAttributeValues("member", values.toArray());
    ldap.bind(entry);
  }

  private void removeGroup(String cn) {
    try {
      ldap.unbind(dn(cn));
    } catch (NameNotFoundException absent) {
      // nothing to remove
    }
  }

  private static Name dn(String cn) {
    return LdapNameBuilder.newInstance("cn=" + cn + ",ou=groups,dc=portcullis,dc=demo").build();
  }
}
