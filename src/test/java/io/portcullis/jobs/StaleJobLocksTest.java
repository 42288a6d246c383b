package io.portcullis.jobs;

import io.portcullis.support.RequestTables;
import io.portcullis.approval.ApprovalProcess;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.request.AccessProcess;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * A node locks jobs under its own stable name, and releases when it starts the locks that a killed
 * process of it left behind; another node's locks are left to expire.
 */
@SpringBootTest(properties = "portcullis.jobs.node-name=node-a")
@ActiveProfiles({"demo", "test"})
class StaleJobLocksTest {

  @Autowired StaleJobLocks staleLocks;
  @Autowired NodeName nodeName;
  @Autowired RuntimeService runtime;
  @Autowired TaskService tasks;
  @Autowired ManagementService management;
  @Autowired IdentityService identity;
  @Autowired JdbcTemplate jdbc;

  @AfterEach
  void cleanUp() {
    runtime.createProcessInstanceQuery().processDefinitionKey(AccessProcess.KEY).list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    RequestTables.deleteAll(jdbc);
  }

  @Test
  void theJobExecutorLocksUnderTheNodeName() {
    JobExecutor executor = new DefaultJobExecutor();
    new JobLockOwner(new StaticListableBeanFactory(Map.of("nodeName", nodeName)).getBeanProvider(NodeName.class))
        .postProcessBeforeInitialization(executor, "jobExecutor");
    assertThat(executor.getLockOwner()).isEqualTo("node-a");
  }

  @Test
  void onStart_theLocksOfThisNodesKilledProcessAreReleased_thoseOfAnotherNodeAreKept() {
    Job ours = approvedCheckJob("alice");
    Job theirs = approvedCheckJob("erin");
    Instant until = Instant.now().plusSeconds(60);
    lock(ours, "node-a", until);
    lock(theirs, "node-b", until);
    int revisionBefore = revision(ours);

    assertThat(staleLocks.release()).isEqualTo(1);

    assertThat(jdbc.queryForMap("select LOCK_OWNER_, LOCK_EXP_TIME_ from ACT_RU_JOB where ID_ = ?", ours.getId()))
        .containsEntry("LOCK_OWNER_", null).containsEntry("LOCK_EXP_TIME_", null);
    assertThat(revision(ours)).isEqualTo(revisionBefore + 1);
    assertThat(jdbc.queryForObject("select LOCK_OWNER_ from ACT_RU_JOB where ID_ = ?", String.class, theirs.getId())).isEqualTo("node-b");
    // the released job is acquirable again now; the other one only when its lock expires
    assertThat(management.createJobQuery().jobId(ours.getId()).executable().count()).isOne();
    management.executeJob(ours.getId());
    assertThat(management.createJobQuery().jobId(ours.getId()).count()).isZero();
  }

  private Job approvedCheckJob(String requester) {
    Map<String, Object> asked = new HashMap<>();
    asked.put(AccessProcess.RESOURCE, "staging-db-admin");
    asked.put(AccessProcess.DURATION, "PT1H");
    asked.put(AccessProcess.JUSTIFICATION, "stale lock test");
    asked.put(AccessProcess.TICKET, "OPS-16");
    ProcessInstance pi;
    identity.setAuthentication(requester, List.of("developers"));
    try {
      pi = runtime.startProcessInstanceByKey(AccessProcess.KEY, UUID.randomUUID().toString(), asked);
    } finally {
      identity.clearAuthentication();
    }
    Map<String, Object> decision = new HashMap<>();
    decision.put(ApprovalProcess.DECISION, "approve");
    identity.setAuthentication("bob", List.of("team-leads"));
    try {
      tasks.complete(tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult().getId(), decision);
    } finally {
      identity.clearAuthentication();
    }
    return management.createJobQuery().processInstanceId(pi.getId()).singleResult();
  }

  private void lock(Job job, String owner, Instant until) {
    jdbc.update("update ACT_RU_JOB set LOCK_OWNER_ = ?, LOCK_EXP_TIME_ = ? where ID_ = ?", owner, Timestamp.from(until), job.getId());
  }

  private int revision(Job job) {
    return jdbc.queryForObject("select REV_ from ACT_RU_JOB where ID_ = ?", Integer.class, job.getId());
  }
}
