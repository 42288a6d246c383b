package io.portcullis.audit;

import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit tables as a fresh trail: tests in one Spring context share one database. */
final class AuditTables {

  private AuditTables() {}

  static void reset(JdbcTemplate jdbc) {
    jdbc.update("delete from audit_checkpoint");
    jdbc.update("delete from audit_event");
    jdbc.update(
        "update audit_head set last_seq = 0, last_hash = ?, logged_seq = 0 where id = 1",
        AuditChain.GENESIS_HASH);
  }

  /**
   * As the trail's owner would: the database's own copy of the retention, which bounds what pruning
   * may delete on PostgreSQL ({@code audit_prune}); H2 has none.
   */
  static void databaseRetention(JdbcTemplate jdbc, Duration keepFor) {
    if (count(jdbc, "information_schema.tables where lower(table_name) = 'audit_retention'") > 0) {
      jdbc.update(
          "update audit_retention set keep_for = cast(? as bigint) * interval '1 second' where id = 1",
          keepFor == null ? null : keepFor.toSeconds());
    }
  }

  static long count(JdbcTemplate jdbc, String table) {
    return jdbc.queryForObject("select count(*) from " + table, Long.class);
  }

  static long pending(JdbcTemplate jdbc) {
    return jdbc.queryForObject("select count(*) from audit_event where seq is null", Long.class);
  }

  static long headSeq(JdbcTemplate jdbc) {
    return jdbc.queryForObject("select last_seq from audit_head where id = 1", Long.class);
  }
}
