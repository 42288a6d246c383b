package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portcullis.approval.ApprovalProcess;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.Door;
import io.portcullis.support.RequestTables;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * A node whose clock strays from the database's by more than {@code portcullis.jobs.max-clock-skew}
 * reports readiness DOWN and takes no job, and both come back when the clocks agree again. The
 * engine's clock is moved as a wrong system clock would move it ({@link ClockUtil#offset}: it keeps
 * running, five minutes off); the database's is the real one. The node's own heartbeat finds it:
 * nothing here calls a check.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"camunda.bpm.job-execution.enabled=true", "portcullis.test.context=clock-skew"})
@ActiveProfiles({"demo", "test"})
class ClockSkewTest {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  @LocalServerPort int port;
  @Autowired JobAcquisitionGate gate;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired ManagementService management;
  @Autowired IdentityService identity;
  @Autowired JdbcTemplate jdbc;
  Door door;

  @BeforeEach
  void door() {
    door = new Door(port);
  }

  @AfterEach
  void cleanUp() {
    ClockUtil.reset();
    // the job executor runs the request's next steps (its clock, its grant) after the one the test
    // waits for: an
    // instance deleted while a step of it runs loses the race (OptimisticLockingException), so wait
    // until none is due
    await("the request's steps done")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                management
                        .createJobQuery()
                        .processDefinitionKey(AccessProcess.KEY)
                        .executable()
                        .count()
                    == 0);
    // the read model first: an instance deleted while its request is live would start an owed
    // revoke
    RequestTables.deleteAll(jdbc);
    // a step can still start between the wait and the deletion: then look again
    await("instances deleted")
        .atMost(DEADLINE)
        .ignoreException(OptimisticLockingException.class)
        .until(
            () -> {
              runtime
                  .createProcessInstanceQuery()
                  .processDefinitionKey(AccessProcess.KEY)
                  .list()
                  .forEach(
                      pi ->
                          runtime.deleteProcessInstanceIfExists(
                              pi.getId(), "test over", true, true, false, false));
              return runtime
                      .createProcessInstanceQuery()
                      .processDefinitionKey(AccessProcess.KEY)
                      .count()
                  == 0;
            });
  }

  @Test
  void aNodeWhoseClockStraysIsNotReadyAndTakesNoJobUntilItAgreesAgain() {
    assertThat(readiness()).isEqualTo(200);

    // five minutes ahead: not ready, and an admin sees why
    ClockUtil.offset(Duration.ofMinutes(5).toMillis());
    await("readiness DOWN")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> readiness() == 503);
    assertThat(
            door.call("GET", "/actuator/health")
                .as("dave")
                .send()
                .json()
                .at("/components/clock/status")
                .asText())
        .isEqualTo("DOWN");

    // five minutes behind: a job made now is due at once by this node's clock, but it is not taken
    ClockUtil.offset(-Duration.ofMinutes(5).toMillis());
    long refusedBefore = gate.refused();
    Job job = approvedCheckJob("alice");
    // the executor has polled three times since (and was turned away), or it took the job
    await("three acquisitions since")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> gate.refused() >= refusedBefore + 3 || !unlocked(job));
    assertThat(readiness()).isEqualTo(503);
    assertThat(unlocked(job)).as("the job is still there, locked by nobody").isTrue();

    // the clocks agree again: ready, and the job runs
    ClockUtil.reset();
    await("readiness UP")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> readiness() == 200);
    await("the job taken and run")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> management.createJobQuery().jobId(job.getId()).count() == 0);
    assertThat(
            door.call("GET", "/actuator/health")
                .as("dave")
                .send()
                .json()
                .at("/components/clock/status")
                .asText())
        .isEqualTo("UP");
  }

  private boolean unlocked(Job job) {
    return jdbc.queryForList(
            "select LOCK_OWNER_ from ACT_RU_JOB where ID_ = ?", String.class, job.getId())
        .equals(Collections.singletonList(null));
  }

  private int readiness() {
    return door.call("GET", "/actuator/health/readiness").send().status();
  }

  /** Alice asks, bob approves: the request's next step is a job (the standing-access check). */
  private Job approvedCheckJob(String requester) {
    Map<String, Object> asked = new HashMap<>();
    asked.put(AccessProcess.RESOURCE, "staging-db-admin");
    asked.put(AccessProcess.DURATION, "PT1H");
    asked.put(AccessProcess.JUSTIFICATION, "clock skew test");
    asked.put(AccessProcess.TICKET, "OPS-25");
    ProcessInstance pi;
    identity.setAuthentication(requester, List.of("developers"));
    try {
      pi =
          runtime.startProcessInstanceByKey(AccessProcess.KEY, UUID.randomUUID().toString(), asked);
    } finally {
      identity.clearAuthentication();
    }
    Map<String, Object> decision = new HashMap<>();
    decision.put(ApprovalProcess.DECISION, "approve");
    identity.setAuthentication("bob", List.of("team-leads"));
    try {
      tasks.complete(
          tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult().getId(), decision);
    } finally {
      identity.clearAuthentication();
    }
    return management.createJobQuery().processInstanceId(pi.getId()).singleResult();
  }
}
