package io.portcullis.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads the audit tables' rows; the column lists that go with them. */
final class AuditRows {

  /** The columns of a sealed event: what the chain covers, and its place in it. */
  static final String EVENT_COLUMNS =
      "seq, event_time, actor, action, subject, resource, request_id, process_instance_id, details, prev_hash, hash, mac";

  /** Every column {@link #event} reads: the chain's and the entry's. */
  static final String READ_COLUMNS = EVENT_COLUMNS + ", id, entry_mac";

  static final String CHECKPOINT_COLUMNS = "seq, hash, signed_at, key_id, signature";

  private AuditRows() {}

  static AuditEvent event(ResultSet rs, int row) throws SQLException {
    // seq is null until the event is sealed: getLong reads it as 0
    return new AuditEvent(
        rs.getLong("seq"),
        instant(rs, "event_time"),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("subject"),
        rs.getString("resource"),
        rs.getString("request_id"),
        rs.getString("process_instance_id"),
        rs.getString("details"),
        rs.getString("prev_hash"),
        rs.getString("hash"),
        rs.getString("mac"),
        rs.getLong("id"),
        rs.getString("entry_mac"));
  }

  static AuditCheckpoint checkpoint(ResultSet rs, int row) throws SQLException {
    return new AuditCheckpoint(
        rs.getLong("seq"),
        rs.getString("hash"),
        instant(rs, "signed_at"),
        rs.getString("key_id"),
        rs.getString("signature"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
