package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Job acquisition has an index to read: a database whose jobs an earlier version left without a due
 * date starts with the index of due dates made and every job dated, so that no job is left behind
 * by a poll that asks only for dated ones. On H2 here, on PostgreSQL in {@link
 * DueJobsIndexOnPostgresTest}.
 */
class DueJobsIndexTest extends StartsOnOneDatabase {

  private long revisions;

  @Test
  void jobsLeftWithoutADueDateAreDatedAndTheIndexIsMade() {
    Database database = newDatabase();
    try (ConfigurableApplicationContext before = start(database)) {
      JdbcTemplate jdbc = before.getBean(JdbcTemplate.class);
      assertThat(indexExists(jdbc)).isTrue();
      assertThat(jdbc.queryForObject("select count(*) from act_ru_job", Integer.class))
          .as("the demo's jobs (audit checkpoints)")
          .isPositive();
      // as an earlier version left them: no due date, and no index
      jdbc.update("update act_ru_job set duedate_ = null");
      revisions = jdbc.queryForObject("select sum(rev_) from act_ru_job", Long.class);
      jdbc.execute("drop index " + DueJobsIndex.INDEX.toLowerCase(Locale.ROOT));
      assertThat(indexExists(jdbc)).isFalse();
    }
    try (ConfigurableApplicationContext after = start(database)) {
      JdbcTemplate jdbc = after.getBean(JdbcTemplate.class);
      assertThat(indexExists(jdbc)).isTrue();
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from act_ru_job where duedate_ is null", Integer.class))
          .isZero();
      // each dated job's revision moved on, so that a node holding it in memory cannot write the
      // null back
      assertThat(jdbc.queryForObject("select sum(rev_) from act_ru_job", Long.class))
          .isEqualTo(
              revisions + jdbc.queryForObject("select count(*) from act_ru_job", Long.class));
    }
  }

  @Test
  void aJobThatAnotherNodeIsRunningIsLeftAsItIs() {
    Database database = newDatabase();
    long revision;
    try (ConfigurableApplicationContext before = start(database)) {
      JdbcTemplate jdbc = before.getBean(JdbcTemplate.class);
      // a node of the earlier version runs every job right now
      jdbc.update(
          "update act_ru_job set duedate_ = null, lock_owner_ = 'node-of-the-earlier-version', lock_exp_time_ = ?",
          Timestamp.from(Instant.now().plus(Duration.ofHours(1))));
      revision = jdbc.queryForObject("select sum(rev_) from act_ru_job", Long.class);
    }
    // a start with the index in place (made by the first) and no job to date changes nothing and
    // does not fail
    try (ConfigurableApplicationContext after = start(database)) {
      JdbcTemplate jdbc = after.getBean(JdbcTemplate.class);
      assertThat(indexExists(jdbc)).isTrue();
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from act_ru_job where duedate_ is not null", Integer.class))
          .isZero();
      assertThat(jdbc.queryForObject("select sum(rev_) from act_ru_job", Long.class))
          .isEqualTo(revision);
    }
  }

  private static boolean indexExists(JdbcTemplate jdbc) {
    return Boolean.TRUE.equals(
        jdbc.execute(
            (ConnectionCallback<Boolean>)
                c -> {
                  DatabaseMetaData meta = c.getMetaData();
                  String table = meta.storesLowerCaseIdentifiers() ? "act_ru_job" : "ACT_RU_JOB";
                  try (ResultSet indexes = meta.getIndexInfo(null, null, table, false, false)) {
                    while (indexes.next()) {
                      if (DueJobsIndex.INDEX.equalsIgnoreCase(indexes.getString("INDEX_NAME"))) {
                        return true;
                      }
                    }
                  }
                  return false;
                }));
  }
}
