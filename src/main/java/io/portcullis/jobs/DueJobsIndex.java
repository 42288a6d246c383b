package io.portcullis.jobs;

import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Job acquisition reads only the jobs that are due. Each poll asks for jobs whose due date has
 * come; the engine has no index on {@code ACT_RU_JOB.DUEDATE_}, so every poll read every job, and
 * every active grant is a job (its expiry timer): with 100,000 active grants, acquisition was a
 * quarter of the node's CPU (issue 14, JFR). With {@code ensure-job-due-date-not-null}
 * (application.yml) every job has a due date and the poll's condition is a plain range that this
 * index answers.
 *
 * <p>After the engine has made or checked its tables, at every start: jobs that an earlier version
 * left without a due date get "now" (with the setting, a poll never finds a job whose due date is
 * null), unless one is running, then the index is made if missing ({@link OwnIndex}). Both are
 * idempotent, and harmless when two nodes start together.
 */
@Component
class DueJobsIndex extends AbstractProcessEnginePlugin {

  static final String INDEX = "PORTCULLIS_IDX_JOB_DUEDATE";
  private static final Logger log = LoggerFactory.getLogger(DueJobsIndex.class);

  private final DataSource dataSource;

  DueJobsIndex(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    if (!configuration.isEnsureJobDueDateNotNull()) {
      return;
    }
    String table = EngineTables.of(engine, "ACT_RU_JOB");
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    Timestamp now = Timestamp.from(Instant.now());
    // REV_ moves on, so that a node of the earlier version holding the job in memory fails its own
    // update with the engine's optimistic lock and reads it again, instead of writing the null
    // back; a job locked at this moment is left as it is (it is running, and a running job is
    // deleted or dated when it ends)
    int dated =
        jdbc.update(
            "update "
                + table
                + " set DUEDATE_ = ?, REV_ = REV_ + 1 where DUEDATE_ is null "
                + "and (LOCK_OWNER_ is null or LOCK_EXP_TIME_ < ?)",
            now,
            now);
    if (dated > 0) {
      log.info("{} job(s) without a due date, left by an earlier version, are due now", dated);
    }
    OwnIndex.make(jdbc, INDEX, table, "DUEDATE_");
  }
}
