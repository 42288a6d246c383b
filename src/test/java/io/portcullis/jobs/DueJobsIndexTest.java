package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Job acquisition has an index to read: a database whose jobs an earlier version left without a due date
 * starts with the index of due dates made and every job dated, so that no job is left behind by a poll
 * that asks only for dated ones. On H2 here, on PostgreSQL in {@link DueJobsIndexOnPostgresTest}.
 */
class DueJobsIndexTest extends StartsOnOneDatabase {

  @Test
  void jobsLeftWithoutADueDateAreDatedAndTheIndexIsMade() {
    Database database = newDatabase();
    try (ConfigurableApplicationContext before = start(database)) {
      JdbcTemplate jdbc = before.getBean(JdbcTemplate.class);
      assertThat(indexExists(jdbc)).isTrue();
      assertThat(jdbc.queryForObject("select count(*) from act_ru_job", Integer.class)).as("the demo's jobs (audit checkpoints)").isPositive();
      // as an earlier version left them: no due date, and no index
      jdbc.update("update act_ru_job set duedate_ = null");
      jdbc.execute("drop index " + DueJobsIndex.INDEX.toLowerCase(Locale.ROOT));
      assertThat(indexExists(jdbc)).isFalse();
    }
    try (ConfigurableApplicationContext after = start(database)) {
      JdbcTemplate jdbc = after.getBean(JdbcTemplate.class);
      assertThat(indexExists(jdbc)).isTrue();
      assertThat(jdbc.queryForObject("select count(*) from act_ru_job where duedate_ is null", Integer.class)).isZero();
    }
    // a second start with both in place changes nothing and does not fail
    try (ConfigurableApplicationContext again = start(database)) {
      assertThat(indexExists(again.getBean(JdbcTemplate.class))).isTrue();
    }
  }

  private static boolean indexExists(JdbcTemplate jdbc) {
    return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) c -> {
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
