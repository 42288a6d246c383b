package io.portcullis.jobs;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.spring.ProcessEngineFactoryBean;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A database made with one of Camunda's own history levels (every install before {@link
 * PortcullisHistoryLevel}: {@code full}, 3) is moved to ours before the engine builds, which would
 * otherwise refuse to start ("historyLevel mismatch"). Runs at each start, before the engine, when
 * the configured level is ours: the engine's {@code ACT_GE_PROPERTY} row {@code historyLevel} is
 * set to 26 if it holds 0 to 3. A fresh database has no engine tables yet (the engine creates them)
 * and needs nothing; a database that says 26 already is left alone. One conditional update, so two
 * nodes starting together change it once. History already written stays; from then on only our
 * level's kinds are written.
 */
@Component
class HistoryLevelUpgrade implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(HistoryLevelUpgrade.class);
  private static final String TABLE = "ACT_GE_PROPERTY";
  private static final Map<Integer, String> BUILT_IN =
      Map.of(
          HistoryLevel.HISTORY_LEVEL_NONE.getId(), HistoryLevel.HISTORY_LEVEL_NONE.getName(),
          HistoryLevel.HISTORY_LEVEL_ACTIVITY.getId(),
              HistoryLevel.HISTORY_LEVEL_ACTIVITY.getName(),
          HistoryLevel.HISTORY_LEVEL_AUDIT.getId(), HistoryLevel.HISTORY_LEVEL_AUDIT.getName(),
          HistoryLevel.HISTORY_LEVEL_FULL.getId(), HistoryLevel.HISTORY_LEVEL_FULL.getName());

  private final JdbcTemplate jdbc;
  private final CamundaBpmProperties camunda;

  HistoryLevelUpgrade(DataSource dataSource, CamundaBpmProperties camunda) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.camunda = camunda;
  }

  @Override
  public void afterPropertiesSet() {
    if (PortcullisHistoryLevel.isNamedBy(camunda.getHistoryLevel())) {
      upgrade();
    }
  }

  /** Moves a database at a built-in level to ours; whether it did. */
  boolean upgrade() {
    String prefix =
        camunda.getDatabase().getTablePrefix() == null
            ? ""
            : camunda.getDatabase().getTablePrefix();
    String table = prefix + TABLE;
    if (!Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) c -> exists(c, table)))) {
      return false;
    }
    List<String> found =
        jdbc.queryForList(
            "select VALUE_ from " + table + " where NAME_ = 'historyLevel'", String.class);
    if (found.isEmpty() || !BUILT_IN.containsKey(level(found.get(0)))) {
      return false;
    }
    int updated =
        jdbc.update(
            "update "
                + table
                + " set VALUE_ = ?, REV_ = REV_ + 1 where NAME_ = 'historyLevel' and VALUE_ = ?",
            Integer.toString(PortcullisHistoryLevel.ID),
            found.get(0));
    if (updated > 0) {
      int from = level(found.get(0));
      log.info(
          "The engine's history level in the database changed from {} ({}) to {} ({}), as camunda.bpm.history-level "
              + "says; the history already written is kept",
          BUILT_IN.get(from),
          from,
          PortcullisHistoryLevel.NAME,
          PortcullisHistoryLevel.ID);
    }
    return updated > 0;
  }

  private static Integer level(String value) {
    try {
      return value == null ? null : Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether the table is there, in the schema that the engine's unqualified names resolve to. */
  private static boolean exists(Connection connection, String table) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String schema = connection.getSchema();
    String name = table;
    int dot = table.lastIndexOf('.');
    if (dot >= 0) {
      schema = table.substring(0, dot);
      name = table.substring(dot + 1);
    }
    if (meta.storesUpperCaseIdentifiers()) {
      schema = schema == null ? null : schema.toUpperCase(Locale.ROOT);
      name = name.toUpperCase(Locale.ROOT);
    } else if (meta.storesLowerCaseIdentifiers()) {
      schema = schema == null ? null : schema.toLowerCase(Locale.ROOT);
      name = name.toLowerCase(Locale.ROOT);
    }
    String escape = meta.getSearchStringEscape();
    String pattern = escape == null ? name : name.replace("_", escape + "_");
    try (ResultSet tables = meta.getTables(connection.getCatalog(), schema, pattern, null)) {
      return tables.next();
    }
  }

  /**
   * The engine is built after the upgrade, as after Flyway's migrations ({@code
   * MigrationsBeforeEngine}).
   */
  @Component
  static class BeforeEngine extends AbstractDependsOnBeanFactoryPostProcessor {

    BeforeEngine() {
      super(ProcessEngine.class, ProcessEngineFactoryBean.class, HistoryLevelUpgrade.class);
    }
  }
}
