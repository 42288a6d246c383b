package io.portcullis.approval;

import io.portcullis.kernel.Username;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Delegations; each write joins the open transaction. */
@Repository
class DelegationRepository {

  private static final String COLUMNS =
      "select id, delegator, delegate, valid_from, valid_until, reason, created_at, ended_at, ended_by "
          + "from approval_delegation ";

  private static final RowMapper<Delegation> ROW =
      (rs, n) ->
          new Delegation(
              rs.getString("id"),
              Username.of(rs.getString("delegator")),
              Username.of(rs.getString("delegate")),
              instant(rs, "valid_from"),
              instant(rs, "valid_until"),
              rs.getString("reason"),
              instant(rs, "created_at"),
              instant(rs, "ended_at"),
              rs.getString("ended_by") == null ? null : Username.of(rs.getString("ended_by")));

  private final NamedParameterJdbcTemplate jdbc;

  DelegationRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Delegation d) {
    jdbc.update(
        "insert into approval_delegation (id, delegator, delegate, valid_from, valid_until, reason, created_at) "
            + "values (:id, :delegator, :delegate, :from, :until, :reason, :at)",
        new MapSqlParameterSource("id", d.id())
            .addValue("delegator", d.delegator().value())
            .addValue("delegate", d.delegate().value())
            .addValue("from", utc(d.from()))
            .addValue("until", utc(d.until()))
            .addValue("reason", d.reason())
            .addValue("at", utc(d.createdAt())));
  }

  Optional<Delegation> find(String id) {
    return jdbc.query(COLUMNS + "where id = :id", new MapSqlParameterSource("id", id), ROW).stream()
        .findFirst();
  }

  /** Binds the delegation to the instance of processes/delegation.bpmn that keeps its time. */
  void bind(String id, String processInstanceId) {
    jdbc.update(
        "update approval_delegation set process_instance_id = :pi where id = :id",
        new MapSqlParameterSource("id", id).addValue("pi", processInstanceId));
  }

  Optional<Delegation> findByProcessInstance(String processInstanceId) {
    return jdbc
        .query(
            COLUMNS + "where process_instance_id = :pi",
            new MapSqlParameterSource("pi", processInstanceId),
            ROW)
        .stream()
        .findFirst();
  }

  Optional<String> processInstanceOf(String id) {
    return jdbc
        .queryForList(
            "select process_instance_id from approval_delegation where id = :id and process_instance_id is not null",
            new MapSqlParameterSource("id", id),
            String.class)
        .stream()
        .findFirst();
  }

  /** Those this person gave or received, newest first. */
  List<Delegation> of(Username person) {
    return jdbc.query(
        COLUMNS
            + "where lower(delegator) = lower(:p) or lower(delegate) = lower(:p) order by created_at desc, id",
        new MapSqlParameterSource("p", person.value()),
        ROW);
  }

  List<Delegation> all() {
    return jdbc.query(COLUMNS + "order by created_at desc, id", new MapSqlParameterSource(), ROW);
  }

  /** Those in force at this moment, received by this person (or by anyone, for null). */
  List<Delegation> inForce(Username delegate, Instant now) {
    return jdbc.query(
        COLUMNS
            + "where ended_at is null and valid_from <= :now and valid_until > :now"
            + (delegate == null ? "" : " and lower(delegate) = lower(:p)")
            + " order by created_at, id",
        new MapSqlParameterSource("now", utc(now))
            .addValue("p", delegate == null ? null : delegate.value()),
        ROW);
  }

  /** True for the first end only. */
  boolean end(String id, Username by, Instant at) {
    return jdbc.update(
            "update approval_delegation set ended_at = :at, ended_by = :by where id = :id and ended_at is null",
            new MapSqlParameterSource("id", id).addValue("at", utc(at)).addValue("by", by.value()))
        == 1;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
