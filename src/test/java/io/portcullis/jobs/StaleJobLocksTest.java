package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.env.Environment;

/**
 * A node locks jobs under its own stable name, and releases when it starts the locks that a killed
 * process of it left behind; another node's locks are left to expire.
 */
@PortcullisTest
class StaleJobLocksTest extends ProcessFixture {

  @Autowired StaleJobLocks staleLocks;
  @Autowired NodeName nodeName;
  @Autowired Environment environment;

  @Test
  void theJobExecutorLocksUnderTheNodeName() {
    NodeName configured = new NodeName(new JobsProperties("node-a", null, null, null), environment);
    JobExecutor executor = new DefaultJobExecutor();
    new JobLockOwner(
            new StaticListableBeanFactory(Map.of("nodeName", configured))
                .getBeanProvider(NodeName.class))
        .postProcessBeforeInitialization(executor, "jobExecutor");
    assertThat(executor.getLockOwner()).isEqualTo("node-a");
  }

  @Test
  void onStart_theLocksOfThisNodesKilledProcessAreReleased_thoseOfAnotherNodeAreKept() {
    Job ours = dueJob(approved("alice", "staging-db-admin", "PT1H"));
    Job theirs = dueJob(approved("erin", "staging-db-admin", "PT1H"));
    Instant until = Instant.now().plusSeconds(60);
    lock(ours, nodeName.get(), until);
    lock(theirs, "node-b", until);
    int revisionBefore = revision(ours);

    assertThat(staleLocks.release()).isEqualTo(1);

    assertThat(
            jdbc.queryForMap(
                "select LOCK_OWNER_, LOCK_EXP_TIME_ from ACT_RU_JOB where ID_ = ?", ours.getId()))
        .containsEntry("LOCK_OWNER_", null)
        .containsEntry("LOCK_EXP_TIME_", null);
    assertThat(revision(ours)).isEqualTo(revisionBefore + 1);
    assertThat(
            jdbc.queryForObject(
                "select LOCK_OWNER_ from ACT_RU_JOB where ID_ = ?", String.class, theirs.getId()))
        .isEqualTo("node-b");
    // the released job is acquirable again now; the other one only when its lock expires
    assertThat(management.createJobQuery().jobId(ours.getId()).executable().count()).isOne();
    management.executeJob(ours.getId());
    assertThat(management.createJobQuery().jobId(ours.getId()).count()).isZero();
  }

  private void lock(Job job, String owner, Instant until) {
    jdbc.update(
        "update ACT_RU_JOB set LOCK_OWNER_ = ?, LOCK_EXP_TIME_ = ? where ID_ = ?",
        owner,
        Timestamp.from(until),
        job.getId());
  }

  private int revision(Job job) {
    return jdbc.queryForObject(
        "select REV_ from ACT_RU_JOB where ID_ = ?", Integer.class, job.getId());
  }
}
