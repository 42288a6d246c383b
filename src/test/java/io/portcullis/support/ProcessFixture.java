package io.portcullis.support;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.approval.Chain;
import io.portcullis.kernel.RequestId;
import io.portcullis.request.AccessProcess;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.AccessRequestRepository;
import io.portcullis.request.BreakGlassReview;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.ldap.NameNotFoundException;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * What every process test does with the engine, in one place: a process test extends it and keeps
 * its own Spring annotations ({@link PortcullisTest}, or a context with a web server). The job
 * executor is off in tests, so a test runs each job itself; the engine clock starts at {@link #T0}
 * (or the time a test gives) before each test and is reset after it, so that no test leaks its time
 * into the next.
 *
 * <p>After each test the read model of requests is emptied first, then every request's instance is
 * deleted (an access instance deleted while its request is live would start an owed revoke). A test
 * class that keeps rows or instances of other processes (offboardings, notices) ends them in its
 * own {@code @AfterEach}, which JUnit runs before this one.
 */
public abstract class ProcessFixture {

  /** The engine clock's start in most tests: a Monday morning. */
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /**
   * A catalog entry of the test profile that tests turn into something the directory refuses
   * members for, and back.
   */
  protected static final String UNRELIABLE = "cn=unreliable-group,ou=groups,dc=portcullis,dc=demo";

  @Autowired protected ProcessEngine engine;
  @Autowired protected RuntimeService runtime;
  @Autowired protected TaskService tasks;
  @Autowired protected ManagementService management;
  @Autowired protected IdentityService identity;
  @Autowired protected AccessRequestRepository requests;
  @Autowired protected ApprovalChains chains;
  @Autowired protected LdapTemplate ldap;
  @Autowired protected JdbcTemplate jdbc;

  private final Instant start;

  protected ProcessFixture() {
    this(T0);
  }

  /** With the engine clock starting at this instant before each test. */
  protected ProcessFixture(Instant start) {
    this.start = start;
  }

  @BeforeEach
  void startTheEngineClock() {
    BpmnAwareTests.init(engine);
    ClockUtil.setCurrentTime(Date.from(start));
  }

  @AfterEach
  void endEveryProcess() {
    identity.clearAuthentication();
    ClockUtil.reset();
    RequestTables.deleteAll(jdbc);
    for (String key :
        List.of(AccessProcess.KEY, AccessProcess.REVOCATION_KEY, BreakGlassReview.KEY)) {
      runtime
          .createProcessInstanceQuery()
          .processDefinitionKey(key)
          .list()
          .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    }
    removeUnreliableTarget();
  }

  // --- the engine clock

  protected static void moveClockTo(Instant instant) {
    ClockUtil.setCurrentTime(Date.from(instant));
  }

  // --- jobs: the executor is off, the test runs them

  /**
   * The instance's one job that is due now (while the grant is attempted, its expiry timer waits
   * beside it).
   */
  protected Job dueJob(ProcessInstance pi) {
    return management.createJobQuery().processInstanceId(pi.getId()).executable().singleResult();
  }

  /** Runs the instance's one job that is due now. */
  protected void runJob(ProcessInstance pi) {
    runJob(pi.getId());
  }

  /** Runs the one job of this instance that is due now. */
  protected void runJob(String processInstanceId) {
    management.executeJob(
        management
            .createJobQuery()
            .processInstanceId(processInstanceId)
            .executable()
            .singleResult()
            .getId());
  }

  /** The instance's job at this activity (an async step or a timer), due or not. */
  protected Job jobAt(ProcessInstance pi, String activityId) {
    return management
        .createJobQuery()
        .processInstanceId(pi.getId())
        .activityId(activityId)
        .singleResult();
  }

  /** Runs the instance's job at this activity, due or not. */
  protected void runJobAt(ProcessInstance pi, String activityId) {
    management.executeJob(jobAt(pi, activityId).getId());
  }

  protected Job timer(ProcessInstance pi, String activityId) {
    return management
        .createJobQuery()
        .processInstanceId(pi.getId())
        .timers()
        .activityId(activityId)
        .singleResult();
  }

  /** Runs every due job, of every process, until none is left; a failure is the test's failure. */
  protected void drain() {
    for (int i = 0; i < 500; i++) {
      List<Job> due = management.createJobQuery().executable().list();
      if (due.isEmpty()) {
        return;
      }
      management.executeJob(due.get(0).getId());
    }
    Assertions.fail("jobs were still due after 500 runs");
  }

  // --- people at the engine's door, as Tasklist and the engine's REST API make them

  /** Runs as this person, as the engine's REST API and Tasklist do for a caller. */
  protected void as(String user, List<String> groups, Runnable work) {
    identity.setAuthentication(user, groups);
    try {
      work.run();
    } finally {
      identity.clearAuthentication();
    }
  }

  /** A request started as this developer, as Tasklist's start form does. */
  protected ProcessInstance request(String requester, String resource, String duration) {
    return request(requester, List.of("developers"), resource, duration);
  }

  /** A request started as this person in these groups, as Tasklist's start form does. */
  protected ProcessInstance request(
      String requester, List<String> groups, String resource, String duration) {
    identity.setAuthentication(requester, groups);
    try {
      return runtime.startProcessInstanceByKey(
          AccessProcess.KEY, UUID.randomUUID().toString(), variables(resource, duration));
    } finally {
      identity.clearAuthentication();
    }
  }

  /**
   * A request of this developer that names what it asks for as given ({@code resources}, {@code
   * bundle}), as the engine's REST API lets a caller start one.
   */
  protected ProcessInstance request(String requester, Map<String, Object> naming, String duration) {
    Map<String, Object> variables = variables(null, duration);
    variables.remove(AccessProcess.RESOURCE);
    variables.putAll(naming);
    identity.setAuthentication(requester, List.of("developers"));
    try {
      return runtime.startProcessInstanceByKey(
          AccessProcess.KEY, UUID.randomUUID().toString(), variables);
    } finally {
      identity.clearAuthentication();
    }
  }

  /** A start form's variables: the resource and duration asked, a justification and a ticket. */
  protected static Map<String, Object> variables(String resource, String duration) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(AccessProcess.RESOURCE, resource);
    variables.put(AccessProcess.DURATION, duration);
    variables.put(AccessProcess.JUSTIFICATION, "deploying release 42");
    variables.put(AccessProcess.TICKET, "OPS-42");
    return variables;
  }

  /**
   * A request of this developer approved by a team lead (bob, or zoe when bob asks); it waits at
   * the standing-access check, the first step of the grant.
   */
  protected ProcessInstance approved(String requester, String resource, String duration) {
    ProcessInstance pi = request(requester, resource, duration);
    decide(pi, "bob".equals(requester) ? "zoe" : "bob", List.of("team-leads"), "approve", null);
    BpmnAwareTests.assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    return pi;
  }

  /**
   * Completes the task as this person, through the engine's authorizations and then the process's
   * own guard.
   */
  protected void complete(
      Task task, String user, List<String> groups, Map<String, Object> variables) {
    as(user, groups, () -> tasks.complete(task.getId(), variables));
  }

  /**
   * Completes the instance's task as this person past the engine's authorizations, so that only the
   * approval guard judges who may decide.
   */
  protected void completePastTheEngine(
      ProcessInstance pi, String user, List<String> groups, Map<String, Object> variables) {
    as(
        user,
        groups,
        () ->
            ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
                .getCommandExecutorTxRequired()
                .execute(
                    context ->
                        context.runWithoutAuthorization(
                            () -> {
                              tasks.complete(task(pi).getId(), variables);
                              return null;
                            })));
  }

  /** Decides the instance's approval task as this approver, as Tasklist does. */
  protected void decide(
      ProcessInstance pi, String approver, List<String> groups, String decision, String comment) {
    complete(
        tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult(),
        approver,
        groups,
        decision(decision, comment, null));
  }

  /**
   * Decides the instance's approval task as this approver, before the approval guard alone (see
   * {@link #completePastTheEngine}).
   */
  protected void decidePastTheEngine(
      ProcessInstance pi, String approver, List<String> groups, String decision, String comment) {
    decidePastTheEngine(pi, approver, groups, decision, comment, null);
  }

  /** The same, approving a shorter duration than asked when {@code approvedDuration} is given. */
  protected void decidePastTheEngine(
      ProcessInstance pi,
      String approver,
      List<String> groups,
      String decision,
      String comment,
      String approvedDuration) {
    completePastTheEngine(pi, approver, groups, decision(decision, comment, approvedDuration));
  }

  private static Map<String, Object> decision(
      String decision, String comment, String approvedDuration) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(ApprovalProcess.DECISION, decision);
    variables.put(ApprovalProcess.DECISION_COMMENT, comment);
    if (approvedDuration != null) {
      variables.put(ApprovalProcess.APPROVED_DURATION, approvedDuration);
    }
    return variables;
  }

  /**
   * What Portcullis' API does when someone asks to end a request: store the ask, then wake the
   * instance.
   */
  protected void askToEnd(ProcessInstance pi, String message, String by, String reason) {
    requests.requestEnd(RequestId.of(pi.getBusinessKey()), by, reason);
    runtime.createMessageCorrelation(message).processInstanceId(pi.getId()).correlate();
  }

  /**
   * A request made by {@code requester} over {@code /api}, approved there by bob, and its grant run
   * to the end: the id of an ACTIVE request.
   */
  protected String activeOverApi(
      Door door, String requester, String resource, String duration, String justification) {
    Door.Answer created =
        door.call("POST", "/api/access-requests")
            .as(requester)
            .json(
                Map.of("resource", resource, "duration", duration, "justification", justification))
            .send();
    Assertions.assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();
    Door.Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of("comment", "ok"))
            .send();
    Assertions.assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    String instance =
        runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).singleResult().getId();
    for (int i = 0;
        i < 10 && management.createJobQuery().processInstanceId(instance).executable().count() > 0;
        i++) {
      runJob(instance);
    }
    Assertions.assertThat(requests.find(RequestId.of(id)).orElseThrow().status().name())
        .isEqualTo("ACTIVE");
    return id;
  }

  // --- what Portcullis stored

  protected AccessRequest request(ProcessInstance pi) {
    return requests.find(RequestId.of(pi.getBusinessKey())).orElseThrow();
  }

  protected Chain chain(ProcessInstance pi) {
    return chains.of(RequestId.of(pi.getBusinessKey())).orElseThrow();
  }

  /** The request's audit events, oldest first, as "action by actor". */
  protected List<String> auditOf(ProcessInstance pi) {
    return jdbc.queryForList(
        "select action || ' by ' || actor from audit_event where request_id = ? order by id",
        String.class,
        pi.getBusinessKey());
  }

  /** The request's audit actions, in the trail's order. */
  protected List<String> actionsOf(ProcessInstance pi) {
    return jdbc.queryForList(
        "select action from audit_event where request_id = ? order by seq",
        String.class,
        pi.getBusinessKey());
  }

  // --- a target that fails: the catalog's unreliable-group, which the directory refuses members
  // for until it is a group

  /**
   * Makes the unreliable target an entry that cannot hold members (the directory refuses), or a
   * group of these members.
   */
  protected void createUnreliableTarget(boolean asGroup, String... members) {
    removeUnreliableTarget();
    DirContextAdapter entry =
        new DirContextAdapter(LdapNameBuilder.newInstance(UNRELIABLE).build());
    entry.setAttributeValue("cn", "unreliable-group");
    if (asGroup) {
      entry.setAttributeValues("objectClass", new String[] {"top", "groupOfNames"});
      List<String> values =
          new ArrayList<>(List.of("cn=empty-group-placeholder,dc=portcullis,dc=demo"));
      values.addAll(List.of(members));
      entry.setAttributeValues("member", values.toArray());
    } else {
      entry.setAttributeValues("objectClass", new String[] {"top", "organizationalRole"});
    }
    ldap.bind(entry);
  }

  protected void removeUnreliableTarget() {
    try {
      ldap.unbind(LdapNameBuilder.newInstance(UNRELIABLE).build());
    } catch (NameNotFoundException absent) {
      // nothing to remove
    }
  }
}
