package io.portcullis.jobs;

import org.camunda.bpm.engine.ProcessEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * When a node starts, it releases the job locks still held under its own name: they were taken by a
 * process of this node that died (killed, crashed, lost its machine) with those jobs in flight,
 * since no job of this process runs yet. Without it, that work would wait until the locks expire
 * ({@code camunda.bpm.job-execution.lock-time-in-millis}). Runs after the engine has built its
 * schema and before the job executor starts (Camunda's Spring Boot starter starts it when the
 * application is ready).
 *
 * <p>The revision is raised as the engine itself does when it locks a job, so that an acquisition
 * that read the old lock cannot apply it. Locks of other nodes are left to expire: they may be
 * alive. Only a node that holds its name's lease ({@link NodeLease}, taken before the engine is
 * built) gets here, so the locks released are never those of a live twin with the same name.
 */
@Component
class StaleJobLocks implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(StaleJobLocks.class);

  private final JdbcTemplate jdbc;
  private final NodeName nodeName;
  private final String table;

  StaleJobLocks(JdbcTemplate jdbc, NodeName nodeName, ProcessEngine engine, NodeLease lease) {
    if (!lease.held()) {
      throw new IllegalStateException(
          "job locks released before node name " + nodeName.get() + " was taken");
    }
    this.jdbc = jdbc;
    this.nodeName = nodeName;
    this.table = EngineTables.of(engine, "ACT_RU_JOB");
  }

  @Override
  public void afterSingletonsInstantiated() {
    int released = release();
    if (released > 0) {
      log.warn(
          "Released {} job lock(s) that a killed process of this node ({}) still held; their steps run again now",
          released,
          nodeName.get());
    }
  }

  /** Releases the locks held under this node's name; returns how many. */
  int release() {
    return jdbc.update(
        "update "
            + table
            + " set LOCK_OWNER_ = null, LOCK_EXP_TIME_ = null, REV_ = REV_ + 1 where LOCK_OWNER_ = ?",
        nodeName.get());
  }
}
