package io.portcullis.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads the audit tables' rows; the column lists that go with them. */
final class AuditRows {

  static final String EVENT_COLUMNS =
      "seq, event_time, actor, action, subject, resource, request_id, process_instance_id, details, prev_hash, hash, mac";
  static final String CHECKPOINT_COLUMNS = "seq, hash, signed_at, key_id, signature";

  private AuditRows() {}

  static AuditEvent event(ResultSet rs, int row) throws SQLException {
    return new AuditEvent(rs.getLong("seq"), instant(rs, "event_time"), rs.getString("actor"), rs.getString("action"),
        rs.getString("subject"), rs.getString("resource"), rs.getString("request_id"), rs.getString("process_instance_id"),
        rs.getString("details"), rs.getString("prev_hash"), rs.getString("hash"), rs.getString("mac"));
  }

  static AuditCheckpoint checkpoint(ResultSet rs, int row) throws SQLException {
    return new AuditCheckpoint(rs.getLong("seq"), rs.getString("hash"), instant(rs, "signed_at"), rs.getString("key_id"),
        rs.getString("signature"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
