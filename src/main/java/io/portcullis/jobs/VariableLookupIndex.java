package io.portcullis.jobs;

import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * On H2, the engine read a step's variables through an index meant for task variables. Every step
 * asks for its execution's variables ({@code EXECUTION_ID_ = ? and TASK_ID_ is null and NAME_ in
 * (...)}). H2 weighs an index by the conditions it matches and by column statistics, which stay at
 * their default until it samples the table. There {@code TASK_ID_ is null} on Camunda's {@code
 * TASK_ID_} index looks as selective as {@code EXECUTION_ID_ = ?} on the execution's foreign-key
 * index, and H2 chose the first (its EXPLAIN shows it on a new database). That plan reads every
 * variable that is not a task's, one set per active grant, for each lookup. In one of three
 * benchmark runs at 100,000 active grants, it took a request from 110 to 800 ms of CPU (issue 14).
 *
 * <p>This index leads with the execution and matches all three conditions, so it is the cheapest
 * with or without statistics. PostgreSQL plans from its statistics and uses the engine's execution
 * index. There the index would only cost writes, so it is made on H2 only, at every start if
 * missing.
 */
@Component
class VariableLookupIndex extends AbstractProcessEnginePlugin {

  static final String INDEX = "PORTCULLIS_IDX_VARIABLE_EXECUTION";

  private final DataSource dataSource;

  VariableLookupIndex(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    if (!"h2".equals(configuration.getDatabaseType())) {
      return;
    }
    OwnIndex.make(
        new JdbcTemplate(dataSource),
        INDEX,
        EngineTables.of(engine, "ACT_RU_VARIABLE"),
        "EXECUTION_ID_, TASK_ID_, NAME_");
  }
}
