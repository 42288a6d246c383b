package io.portcullis.drift;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The sweeps' stored reports ({@code drift_sweep}, {@code drift_sweep_resource}, {@code
 * drift_finding}), written in the sweep's own steps' transactions: a step that rolls back leaves no
 * line of the report behind, and its retry writes it again.
 */
@Repository
class DriftReports {

  private static final String COLUMNS =
      "id, process_instance_id, started_by, started_at, finished_at";

  private final NamedParameterJdbcTemplate jdbc;

  DriftReports(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** A sweep as stored. */
  record Sweep(
      String id,
      String processInstanceId,
      String startedBy,
      Instant startedAt,
      Instant finishedAt) {}

  /**
   * Opens the report of a sweep as running; false when another sweep runs (the unique {@code
   * running} column refuses a second, however many starts race).
   */
  boolean open(String id, String processInstanceId, String startedBy, Instant at) {
    try {
      jdbc.update(
          "insert into drift_sweep (id, process_instance_id, started_by, started_at, running)"
              + " values (:id, :pi, :by, :at, 1)",
          new MapSqlParameterSource("id", id)
              .addValue("pi", processInstanceId)
              .addValue("by", startedBy)
              .addValue("at", utc(at)));
      return true;
    } catch (DuplicateKeyException running) {
      return false;
    }
  }

  /** The sweep that runs now, if any. */
  Optional<Sweep> running() {
    return jdbc
        .query(
            "select " + COLUMNS + " from drift_sweep where running = 1",
            new MapSqlParameterSource(),
            DriftReports::sweep)
        .stream()
        .findFirst();
  }

  Optional<Sweep> find(String id) {
    return jdbc
        .query(
            "select " + COLUMNS + " from drift_sweep where id = :id",
            new MapSqlParameterSource("id", id),
            DriftReports::sweep)
        .stream()
        .findFirst();
  }

  Optional<Sweep> ofInstance(String processInstanceId) {
    return jdbc
        .query(
            "select " + COLUMNS + " from drift_sweep where process_instance_id = :pi",
            new MapSqlParameterSource("pi", processInstanceId),
            DriftReports::sweep)
        .stream()
        .findFirst();
  }

  /** Newest first. */
  List<Sweep> page(int page, int size) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from drift_sweep order by started_at desc, id offset :offset rows fetch next :size rows only",
        new MapSqlParameterSource("offset", (long) page * size).addValue("size", size),
        DriftReports::sweep);
  }

  long count() {
    Long n =
        jdbc.queryForObject(
            "select count(*) from drift_sweep", new MapSqlParameterSource(), Long.class);
    return n == null ? 0 : n;
  }

  void startedBy(String id, String by) {
    jdbc.update(
        "update drift_sweep set started_by = :by where id = :id",
        new MapSqlParameterSource("id", id).addValue("by", by));
  }

  /** Marks the sweep finished: the next one may start. */
  void finish(String id, Instant at) {
    jdbc.update(
        "update drift_sweep set finished_at = :at, running = null where id = :id and running = 1",
        new MapSqlParameterSource("id", id).addValue("at", utc(at)));
  }

  /**
   * Records one resource's sweep, replacing what an earlier attempt of the same step may have left.
   */
  void resource(String sweep, String resource, Instant at, Integer holders, String unreadable) {
    MapSqlParameterSource p =
        new MapSqlParameterSource("sweep", sweep)
            .addValue("resource", resource)
            .addValue("at", utc(at))
            .addValue("holders", holders)
            .addValue("unreadable", clip(unreadable));
    jdbc.update("delete from drift_finding where sweep_id = :sweep and resource_id = :resource", p);
    jdbc.update(
        "delete from drift_sweep_resource where sweep_id = :sweep and resource_id = :resource", p);
    jdbc.update(
        "insert into drift_sweep_resource (sweep_id, resource_id, swept_at, holders, unreadable)"
            + " values (:sweep, :resource, :at, :holders, :unreadable)",
        p);
  }

  void finding(String sweep, String resource, String person, FindingAction action, String detail) {
    jdbc.update(
        "insert into drift_finding (sweep_id, resource_id, person, action, detail)"
            + " values (:sweep, :resource, :person, :action, :detail)",
        new MapSqlParameterSource("sweep", sweep)
            .addValue("resource", resource)
            .addValue("person", person)
            .addValue("action", action.label())
            .addValue("detail", clip(detail)));
  }

  /** The resources a sweep swept so far, by id, each with its findings by person. */
  List<SweepReport.ResourceSwept> resources(String sweep) {
    MapSqlParameterSource p = new MapSqlParameterSource("sweep", sweep);
    List<Object[]> findings =
        jdbc.query(
            "select resource_id, person, action, detail from drift_finding where sweep_id = :sweep"
                + " order by resource_id, person",
            p,
            (rs, n) ->
                new Object[] {
                  rs.getString("resource_id"),
                  new SweepReport.Finding(
                      rs.getString("person"), rs.getString("action"), rs.getString("detail"))
                });
    return jdbc.query(
        "select resource_id, swept_at, holders, unreadable from drift_sweep_resource"
            + " where sweep_id = :sweep order by resource_id",
        p,
        (rs, n) -> {
          String resource = rs.getString("resource_id");
          int holders = rs.getInt("holders");
          return new SweepReport.ResourceSwept(
              resource,
              instant(rs, "swept_at"),
              rs.wasNull() ? null : holders,
              rs.getString("unreadable"),
              findings.stream()
                  .filter(f -> f[0].equals(resource))
                  .map(f -> (SweepReport.Finding) f[1])
                  .toList());
        });
  }

  private static String clip(String text) {
    return text == null || text.length() <= 1000 ? text : text.substring(0, 997) + "...";
  }

  private static Sweep sweep(ResultSet rs, int n) throws SQLException {
    return new Sweep(
        rs.getString("id"),
        rs.getString("process_instance_id"),
        rs.getString("started_by"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
