package io.portcullis.jobs;

import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An index of Portcullis' own on one of the engine's tables, made at every start if missing. Its
 * name says that it is ours, so an engine upgrade script leaves it alone; two nodes starting
 * together may both try to make it.
 */
final class OwnIndex {

  private OwnIndex() {}

  static void make(JdbcTemplate jdbc, String name, String table, String columns) {
    try {
      jdbc.execute("create index if not exists " + name + " on " + table + " (" + columns + ")");
    } catch (DataAccessException e) {
      // another node made it at the same moment (PostgreSQL reports the race as a duplicate name)
      if (!(e.getMostSpecificCause() instanceof SQLException sql
          && ("23505".equals(sql.getSQLState()) || "42P07".equals(sql.getSQLState())))) {
        throw e;
      }
    }
  }
}
