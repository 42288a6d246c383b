package io.portcullis.request;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.RuleAnswer;
import io.portcullis.kernel.StepRefusedException;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Break-glass (issue 29, item 3): olivia, on call, takes prod-db-readonly at once with a ticket
 * (processes/jit-access.bpmn, its policy waived by the break-glass rule), the chain she skipped is
 * told, and team-leads reviews it after the fact in processes/break-glass-review.bpmn: kept,
 * revoked (the access ends, her next request is flagged), or not reviewed in time (the admins may
 * review it too). Whoever the policy does not allow is refused and nothing is stored. The engine
 * clock moves; the job executor is off.
 */
@PortcullisTest
class BreakGlassProcessTest extends ProcessFixture {

  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";
  static final List<String> OLIVIA = List.of("developers", "oncall");

  @Autowired LdapGroupConnector ldapGroups;
  @Autowired BreakGlassReviews reviews;

  @AfterEach
  void revokeWhatTheTestsGranted() {
    ldapGroups.revoke(Username.of("olivia"), Target.of(PROD_DB));
  }

  @Test
  void oliviaBreaksGlass_isGrantedAtOnceWithNoApproval_andBobKeepsIt() {
    ProcessInstance pi = breakGlass("olivia", OLIVIA, "PT1H", "INC-4711");
    Assertions.assertThat(chain(pi).waived()).isTrue();
    Assertions.assertThat(tasks.createTaskQuery().processInstanceId(pi.getId()).count())
        .as("no approval task")
        .isZero();
    grantRuns(pi);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(request(pi).expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    Assertions.assertThat(ldapGroups.holds(Username.of("olivia"), Target.of(PROD_DB))).isTrue();
    Assertions.assertThat(actionsOf(pi))
        .containsSubsequence("access.requested", "access.break-glass", "access.granted");
    Assertions.assertThat(
            jdbc.queryForObject(
                "select details from audit_event where request_id = ? and action = 'access.break-glass'",
                String.class,
                pi.getBusinessKey()))
        .contains("INC-4711", "production outage", "team-leads", "security");

    Task review = reviewTask(pi);
    Assertions.assertThat(review.getName())
        .isEqualTo("Review break-glass: olivia took prod-db-readonly (PT1H), ticket INC-4711");
    Assertions.assertThat(candidateGroups(review)).containsExactly("team-leads");

    complete(review, "bob", List.of("team-leads"), review("keep", "the outage ticket holds"));

    Assertions.assertThat(
            runtime
                .createProcessInstanceQuery()
                .processInstanceBusinessKey(pi.getBusinessKey())
                .processDefinitionKey(BreakGlassReview.KEY)
                .count())
        .isZero();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(reviews.find(request(pi).id()).orElseThrow().outcome())
        .isEqualTo(BreakGlassReviews.Outcome.KEEP);
    Assertions.assertThat(auditOf(pi)).contains("break-glass.reviewed by bob");
  }

  @Test
  void bobRevokesIt_theAccessEndsAtOnce_andOliviasNextRequestIsFlagged() {
    ProcessInstance pi = breakGlass("olivia", OLIVIA, "PT30M", "INC-4712");
    grantRuns(pi);
    Task review = reviewTask(pi);

    complete(review, "bob", List.of("team-leads"), review("revoke", "no incident on that ticket"));

    ProcessInstance reviewPi = reviewInstance(pi);
    assertThat(reviewPi).isWaitingAt(BreakGlassReview.TASK_REVOKE);
    runJob(reviewPi);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_REVOKE);
    runJob(pi);
    assertThat(pi).isEnded();
    AccessRequest ended = request(pi);
    Assertions.assertThat(ended.status()).isEqualTo(RequestStatus.REVOKED);
    Assertions.assertThat(ended.endedBy()).isEqualTo("bob");
    Assertions.assertThat(ended.endReason()).contains("no incident on that ticket");
    Assertions.assertThat(ldapGroups.holds(Username.of("olivia"), Target.of(PROD_DB))).isFalse();

    ProcessInstance next = request("olivia", OLIVIA, "staging-db-admin", "PT1H");
    Assertions.assertThat(request(next).flags()).contains(UnusualAccess.Flag.BREAK_GLASS_REVOKED);
    Assertions.assertThat(
            tasks
                .getVariableLocal(
                    tasks.createTaskQuery().processInstanceId(next.getId()).singleResult().getId(),
                    AccessProcess.FLAGS)
                .toString())
        .as("the approver of her next request sees it")
        .contains("BREAK_GLASS_REVOKED");
  }

  @Test
  void notReviewedInTime_escalatesToTheAdmins_whoMayReviewItThen() {
    ProcessInstance pi = breakGlass("olivia", OLIVIA, "PT1H", "INC-4713");
    grantRuns(pi);
    Task review = reviewTask(pi);
    ProcessInstance reviewPi = reviewInstance(pi);
    Assertions.assertThat(timer(reviewPi, "boundaryEvent_reviewOverdue").getDuedate().toInstant())
        .isEqualTo(T0.plus(Duration.ofHours(24)));

    // dave, an admin, may not review before the deadline
    Assertions.assertThatThrownBy(
            () ->
                completePastTheEngine(
                    reviewPi, "dave", List.of("portcullis-admins"), review("keep", null)))
        .satisfies(e -> Assertions.assertThat(RefusedException.in(e)).isPresent())
        .hasStackTraceContaining("may review only once the review is overdue");

    moveClockTo(T0.plus(Duration.ofHours(24)).plusSeconds(1));
    runJob(reviewPi.getId());
    runJobAt(reviewPi, BreakGlassReview.TASK_ESCALATE);
    Assertions.assertThat(candidateGroups(review))
        .containsExactlyInAnyOrder("team-leads", "portcullis-admins");
    Assertions.assertThat(actionsOf(pi)).contains("break-glass.review-escalated");

    complete(review, "dave", List.of("portcullis-admins"), review("keep", "reviewed late"));
    Assertions.assertThat(reviews.find(request(pi).id()).orElseThrow().reviewedBy())
        .isEqualTo(Username.of("dave"));
  }

  @Test
  void theRequesterCannotReviewHerOwnBreakGlass() {
    ProcessInstance pi = breakGlass("olivia", List.of("oncall", "team-leads"), "PT1H", "INC-4714");
    grantRuns(pi);
    Assertions.assertThatThrownBy(
            () ->
                completePastTheEngine(
                    reviewInstance(pi),
                    "olivia",
                    List.of("oncall", "team-leads"),
                    review("keep", null)))
        .satisfies(e -> Assertions.assertThat(RefusedException.in(e)).isPresent())
        .hasStackTraceContaining("the requester cannot review their own break-glass");
    Assertions.assertThat(reviews.find(request(pi).id()).orElseThrow().outcome()).isNull();
  }

  @Test
  void whomThePolicyDoesNotAllow_isRefusedNamingTheRule_andNothingIsStored() {
    // bob is not on call
    Assertions.assertThatThrownBy(
            () -> breakGlass("bob", List.of("developers", "team-leads"), "PT1H", "INC-1"))
        .satisfies(e -> Assertions.assertThat(RefusedException.in(e)).isPresent())
        .hasStackTraceContaining("has no break-glass rule for bob on prod-db-readonly");
    // a resource no rule lets anyone break glass on
    Assertions.assertThatThrownBy(
            () -> start("olivia", OLIVIA, "staging-db-admin", "PT1H", "INC-1", true))
        .satisfies(e -> Assertions.assertThat(RefusedException.in(e)).isPresent())
        .hasStackTraceContaining("no break-glass rule for olivia on staging-db-admin");
    Assertions.assertThat(jdbc.queryForObject("select count(*) from access_request", Integer.class))
        .isZero();
    Assertions.assertThat(
            jdbc.queryForObject("select count(*) from break_glass_review", Integer.class))
        .isZero();
    Assertions.assertThat(runtime.createProcessInstanceQuery().count()).isZero();
  }

  @Test
  void hostileInput_isRefusedNamingTheField() {
    Assertions.assertThatThrownBy(() -> breakGlass("olivia", OLIVIA, "PT2H", "INC-1"))
        .hasStackTraceContaining("at most PT1H")
        .extracting(e -> RuleAnswer.find(e, InvalidInputException.class))
        .satisfies(
            e -> Assertions.assertThat(((InvalidInputException) e).field()).isEqualTo("duration"));
    Assertions.assertThatThrownBy(() -> breakGlass("olivia", OLIVIA, "PT1H", null))
        .extracting(e -> RuleAnswer.find(e, InvalidInputException.class))
        .satisfies(
            e -> Assertions.assertThat(((InvalidInputException) e).field()).isEqualTo("ticket"));
    Assertions.assertThatThrownBy(() -> breakGlass("olivia", OLIVIA, "PT1H", "INC-1; drop table"))
        .extracting(e -> RuleAnswer.find(e, InvalidInputException.class))
        .satisfies(
            e -> Assertions.assertThat(((InvalidInputException) e).field()).isEqualTo("ticket"));
    Assertions.assertThatThrownBy(() -> breakGlass("olivia", OLIVIA, "PT1H", "I" + "1".repeat(64)))
        .extracting(e -> RuleAnswer.find(e, InvalidInputException.class))
        .satisfies(
            e -> Assertions.assertThat(((InvalidInputException) e).field()).isEqualTo("ticket"));
    Map<String, Object> odd = variables("prod-db-readonly", "PT1H");
    odd.put(AccessProcess.BREAK_GLASS, "yes");
    Assertions.assertThatThrownBy(
            () ->
                as(
                    "olivia",
                    OLIVIA,
                    () -> runtime.startProcessInstanceByKey(AccessProcess.KEY, "x1", odd)))
        .extracting(e -> RuleAnswer.find(e, InvalidInputException.class))
        .satisfies(
            e ->
                Assertions.assertThat(((InvalidInputException) e).field()).isEqualTo("breakGlass"));
    Assertions.assertThat(jdbc.queryForObject("select count(*) from access_request", Integer.class))
        .isZero();
  }

  @Test
  void aReviewStartedByHand_isRefused() {
    ProcessInstance pi = breakGlass("olivia", OLIVIA, "PT1H", "INC-4715");
    // a second review of a request that has one, and one of a request that did not break glass
    Assertions.assertThatThrownBy(
            () -> runtime.startProcessInstanceByKey(BreakGlassReview.KEY, pi.getBusinessKey()))
        .satisfies(
            e -> Assertions.assertThat(RuleAnswer.find(e, StepRefusedException.class)).isNotNull());
    ProcessInstance plain = request("alice", "staging-db-admin", "PT1H");
    Assertions.assertThatThrownBy(
            () -> runtime.startProcessInstanceByKey(BreakGlassReview.KEY, plain.getBusinessKey()))
        .satisfies(
            e -> Assertions.assertThat(RuleAnswer.find(e, StepRefusedException.class)).isNotNull());
    Assertions.assertThat(
            runtime.createProcessInstanceQuery().processDefinitionKey(BreakGlassReview.KEY).count())
        .isEqualTo(1);
  }

  private ProcessInstance breakGlass(
      String requester, List<String> groups, String duration, String ticket) {
    return start(requester, groups, "prod-db-readonly", duration, ticket, true);
  }

  private ProcessInstance start(
      String requester,
      List<String> groups,
      String resource,
      String duration,
      String ticket,
      boolean breakGlass) {
    Map<String, Object> variables = variables(resource, duration);
    variables.put(AccessProcess.JUSTIFICATION, "production outage, orders fail");
    variables.put(AccessProcess.TICKET, ticket);
    variables.put(AccessProcess.BREAK_GLASS, breakGlass);
    ProcessInstance[] started = new ProcessInstance[1];
    as(
        requester,
        groups,
        () ->
            started[0] =
                runtime.startProcessInstanceByKey(
                    AccessProcess.KEY, UUID.randomUUID().toString(), variables));
    return started[0];
  }

  /** The grant's steps: the standing check with the clock in its transaction, the grant. */
  private void grantRuns(ProcessInstance pi) {
    runJob(pi);
    runJob(pi);
  }

  private ProcessInstance reviewInstance(ProcessInstance pi) {
    return runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(BreakGlassReview.KEY)
        .processInstanceBusinessKey(pi.getBusinessKey())
        .singleResult();
  }

  private Task reviewTask(ProcessInstance pi) {
    return tasks
        .createTaskQuery()
        .processInstanceId(reviewInstance(pi).getId())
        .taskDefinitionKey(BreakGlassReview.TASK_REVIEW)
        .singleResult();
  }

  private List<String> candidateGroups(Task task) {
    return tasks.getIdentityLinksForTask(task.getId()).stream()
        .filter(l -> "candidate".equals(l.getType()))
        .map(IdentityLink::getGroupId)
        .toList();
  }

  private static Map<String, Object> review(String review, String comment) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(BreakGlassReview.REVIEW, review);
    variables.put(BreakGlassReview.COMMENT, comment);
    return variables;
  }
}
