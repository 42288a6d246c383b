package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * On H2, the engine's lookup of a step's variables uses the index that leads with the execution,
 * with or without the column statistics that H2 gathers as a table grows; without it, H2 chose an
 * index meant for task variables and read every variable that is not a task's.
 */
class VariableLookupIndexTest extends StartsOnOneDatabase {

  /**
   * The engine's {@code selectVariablesByExecutionId} with variable names, as its mapping writes
   * it.
   */
  private static final String LOOKUP =
      "explain select RES.* from ACT_RU_VARIABLE RES"
          + " left join ACT_RU_EXECUTION EXECUTION on RES.EXECUTION_ID_ = EXECUTION.ID_"
          + " left join ACT_RU_EXECUTION PARENT_EXECUTION on EXECUTION.PARENT_ID_ = PARENT_EXECUTION.ID_"
          + " where EXECUTION_ID_ = 'an-execution' and TASK_ID_ is null and NAME_ in ('requester', 'resource')";

  @Test
  void theEnginesVariableLookupUsesTheExecutionsIndexBeforeAndAfterStatistics() {
    Database database = newDatabase();
    try (ConfigurableApplicationContext first = start(database)) {
      JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
      assertThat(plan(jdbc)).contains(VariableLookupIndex.INDEX);

      // the cause, as a database of an earlier version has it: without statistics, an index of task
      // variables
      jdbc.execute("drop index " + VariableLookupIndex.INDEX);
      assertThat(plan(jdbc))
          .contains("ACT_IDX_VARIABLE_TASK_")
          .doesNotContain(VariableLookupIndex.INDEX);
    }
    try (ConfigurableApplicationContext again = start(database)) {
      JdbcTemplate jdbc = again.getBean(JdbcTemplate.class);
      assertThat(plan(jdbc)).as("made again at the next start").contains(VariableLookupIndex.INDEX);

      jdbc.execute("analyze");
      assertThat(plan(jdbc))
          .as("with H2's statistics gathered")
          .contains(VariableLookupIndex.INDEX);
    }
  }

  private static String plan(JdbcTemplate jdbc) {
    return jdbc.queryForObject(LOOKUP, String.class);
  }
}
