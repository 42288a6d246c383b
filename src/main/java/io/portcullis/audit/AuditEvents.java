package io.portcullis.audit;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Repository;

/**
 * Searches the trail: pages of events, newest first, for people to read. Events are listed as soon
 * as their step commits, sealed or not yet (their seq is then 0), in the order they were recorded.
 */
@NamedInterface("trail")
@Repository
public class AuditEvents {

  private final NamedParameterJdbcTemplate jdbc;

  AuditEvents(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public List<AuditEvent> page(AuditQuery query, int page, int size) {
    MapSqlParameterSource params = new MapSqlParameterSource();
    String where = where(query, params);
    params.addValue("limit", size).addValue("offset", (long) page * size);
    return jdbc.query(
        "select "
            + AuditRows.READ_COLUMNS
            + " from audit_event"
            + where
            + " order by id desc limit :limit offset :offset",
        params,
        AuditRows::event);
  }

  /** The story of one request, oldest first (at most {@code limit} events). */
  public List<AuditEvent> ofRequest(String requestId, int limit) {
    return jdbc.query(
        "select "
            + AuditRows.READ_COLUMNS
            + " from audit_event where request_id = :id order by id limit :limit",
        new MapSqlParameterSource("id", requestId).addValue("limit", limit),
        AuditRows::event);
  }

  public long count(AuditQuery query) {
    MapSqlParameterSource params = new MapSqlParameterSource();
    Long n =
        jdbc.queryForObject(
            "select count(*) from audit_event" + where(query, params), params, Long.class);
    return n == null ? 0 : n;
  }

  private static String where(AuditQuery q, MapSqlParameterSource params) {
    List<String> clauses = new ArrayList<>();
    if (q.from() != null) {
      clauses.add("event_time >= :from");
      params.addValue("from", AuditTrail.utc(q.from()));
    }
    if (q.to() != null) {
      clauses.add("event_time < :to");
      params.addValue("to", AuditTrail.utc(q.to()));
    }
    equal(clauses, params, "subject", "subject", q.subject());
    equal(clauses, params, "actor", "actor", q.actor());
    equal(clauses, params, "resource", "resource", q.resource());
    equal(clauses, params, "action", "action", q.action());
    equal(clauses, params, "request_id", "requestId", q.requestId());
    return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
  }

  private static void equal(
      List<String> clauses,
      MapSqlParameterSource params,
      String column,
      String name,
      String value) {
    if (value != null) {
      clauses.add(column + " = :" + name);
      params.addValue(name, value);
    }
  }
}
