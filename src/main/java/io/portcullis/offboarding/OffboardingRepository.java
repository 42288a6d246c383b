package io.portcullis.offboarding;

import io.portcullis.kernel.OffboardingId;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Username;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/**
 * Offboardings and their evidence. Every write joins the transaction that is open (the engine's, in
 * a saga step), so the evidence and the saga's state commit or roll back together.
 */
@Repository
class OffboardingRepository {

  private static final String COLUMNS =
      "id, username, reference, reason, effective_at, status, requested_by, requested_at, "
          + "started_at, ended_at, outcome";
  private static final String ITEM_COLUMNS =
      "id, offboarding_id, round, kind, system_name, target, request_id, found_at, "
          + "done_at, done_how, verified_at, still_there";

  private final NamedParameterJdbcTemplate jdbc;

  OffboardingRepository(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Offboarding o) {
    jdbc.update(
        "insert into offboarding ("
            + COLUMNS
            + ", open_for, person_key) values (:id, :username, :reference, :reason, "
            + ":effectiveAt, :status, :requestedBy, :requestedAt, :startedAt, null, null, :openFor, :openFor)",
        new MapSqlParameterSource("id", o.id().value())
            .addValue("username", o.username().value())
            .addValue("reference", o.reference())
            .addValue("reason", o.reason())
            .addValue("effectiveAt", utc(o.effectiveAt()))
            .addValue("status", o.status().name())
            .addValue("requestedBy", o.requestedBy())
            .addValue("requestedAt", utc(o.requestedAt()))
            .addValue("startedAt", utc(o.startedAt()))
            .addValue("openFor", o.username().key()));
  }

  Optional<Offboarding> find(OffboardingId id) {
    return one("id = :id", new MapSqlParameterSource("id", id.value()));
  }

  Optional<Offboarding> findByReference(String reference) {
    return one("reference = :reference", new MapSqlParameterSource("reference", reference));
  }

  /**
   * The person's open offboarding (scheduled, running or waiting for an admin), if there is one.
   */
  Optional<Offboarding> findOpenFor(Username username) {
    return one("open_for = :key", new MapSqlParameterSource("key", username.key()));
  }

  /**
   * The person's latest offboarding that counts: open, or completed for a person the directory
   * knew. A cancelled one does not count, nor one that ended finding no such person (they may be
   * created later).
   */
  Optional<Offboarding> findLatestFor(Username username) {
    return jdbc
        .query(
            "select "
                + COLUMNS
                + " from offboarding where person_key = :key and status <> 'CANCELLED' "
                + "and (open_for is not null or person_found is null or person_found = true) order by requested_at desc, id limit 1",
            new MapSqlParameterSource("key", username.key()),
            OffboardingRepository::row)
        .stream()
        .findFirst();
  }

  /**
   * The person's open offboarding, its row locked until the transaction ends: two asks for the same
   * person (SCIM and HR, on two nodes) and the saga's own steps that change it take turns.
   */
  Optional<Offboarding> lockOpenFor(Username username) {
    return jdbc
        .query(
            "select " + COLUMNS + " from offboarding where open_for = :key for update",
            new MapSqlParameterSource("key", username.key()),
            OffboardingRepository::row)
        .stream()
        .findFirst();
  }

  /**
   * Moves a SCHEDULED offboarding's effective time earlier: to a later moment of the future (it
   * stays SCHEDULED), or to now (it is IN_PROGRESS from now). False when it is no longer SCHEDULED
   * or already due by then: an offboarding is never moved later.
   */
  boolean moveEarlier(OffboardingId id, Instant to, boolean now) {
    return jdbc.update(
            "update offboarding set effective_at = :to"
                + (now ? ", status = 'IN_PROGRESS', started_at = :to" : "")
                + " where id = :id and status = 'SCHEDULED'"
                + (now ? "" : " and effective_at > :to"),
            new MapSqlParameterSource("id", id.value()).addValue("to", utc(to)))
        == 1;
  }

  /**
   * Whether the person is frozen, or their offboarding runs (it freezes them at its first step).
   */
  boolean frozenOrFreezing(Username username) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from offboarding where person_key = :key and status <> 'CANCELLED' "
                + "and (frozen_at is not null or status in ('IN_PROGRESS', 'NEEDS_ATTENTION'))",
            new MapSqlParameterSource("key", username.key()),
            Integer.class);
    return n != null && n > 0;
  }

  // ---- asks

  void insertAsk(Ask ask) {
    jdbc.update(
        "insert into offboarding_ask (offboarding_id, asked_at, asked_by, door, reference, reason, effective_at, outcome, "
            + "moved_from, applied_at) values (:offboarding, :at, :by, :door, :reference, :reason, :effectiveAt, :outcome, :from, :applied)",
        new MapSqlParameterSource("offboarding", ask.offboardingId().value())
            .addValue("at", utc(ask.at()))
            .addValue("by", ask.by())
            .addValue("door", ask.door().value())
            .addValue("reference", ask.reference())
            .addValue("reason", ask.reason())
            .addValue("effectiveAt", utc(ask.effectiveAt()))
            .addValue("outcome", ask.outcome().name())
            .addValue("from", utc(ask.movedFrom()))
            .addValue("applied", utc(ask.appliedAt())));
  }

  /** The ask made with this reference, whichever offboarding it started or moved. */
  Optional<Ask> askByReference(String reference) {
    return jdbc
        .query(
            "select * from offboarding_ask where reference = :reference",
            new MapSqlParameterSource("reference", reference),
            OffboardingRepository::ask)
        .stream()
        .findFirst();
  }

  /** Every ask of an offboarding, in the order they came. */
  List<Ask> asks(OffboardingId offboardingId) {
    return jdbc.query(
        "select * from offboarding_ask where offboarding_id = :id order by id",
        new MapSqlParameterSource("id", offboardingId.value()),
        OffboardingRepository::ask);
  }

  /**
   * Marks the moves of an offboarding that its saga has not taken yet as taken; returns how many
   * there were.
   */
  int applyMoves(OffboardingId offboardingId, Instant at) {
    return jdbc.update(
        "update offboarding_ask set applied_at = :at where offboarding_id = :id and outcome <> 'STARTED' "
            + "and applied_at is null",
        new MapSqlParameterSource("id", offboardingId.value()).addValue("at", utc(at)));
  }

  Optional<Offboarding> findByProcessInstance(String processInstanceId) {
    return processInstanceId == null
        ? Optional.empty()
        : one("process_instance_id = :pi", new MapSqlParameterSource("pi", processInstanceId));
  }

  /**
   * Binds a saga instance to its offboarding, once: false when the offboarding has an instance
   * already.
   */
  boolean bind(OffboardingId id, String processInstanceId) {
    return jdbc.update(
            "update offboarding set process_instance_id = :pi where id = :id and process_instance_id is null",
            new MapSqlParameterSource("id", id.value()).addValue("pi", processInstanceId))
        == 1;
  }

  /** Frees an offboarding whose saga was deleted, so that a new saga can bind to it. */
  void unbind(OffboardingId id) {
    jdbc.update(
        "update offboarding set process_instance_id = null where id = :id",
        new MapSqlParameterSource("id", id.value()));
  }

  String processInstanceOf(OffboardingId id) {
    return jdbc.queryForObject(
        "select process_instance_id from offboarding where id = :id",
        new MapSqlParameterSource("id", id.value()),
        String.class);
  }

  boolean markStatus(OffboardingId id, Collection<OffboardingStatus> from, OffboardingStatus to) {
    return jdbc.update(
            "update offboarding set status = :to where id = :id and status in (:from)",
            new MapSqlParameterSource("id", id.value())
                .addValue("to", to.name())
                .addValue("from", names(from)))
        == 1;
  }

  void markStarted(OffboardingId id, Instant at) {
    jdbc.update(
        "update offboarding set status = 'IN_PROGRESS', started_at = coalesce(started_at, :at) where id = :id "
            + "and status in ('SCHEDULED', 'IN_PROGRESS')",
        new MapSqlParameterSource("id", id.value()).addValue("at", utc(at)));
  }

  /** The person as the directory names them, or that the directory does not know them. */
  void markPerson(OffboardingId id, Username canonical, boolean found) {
    jdbc.update(
        "update offboarding set username = :username, person_key = :key, person_found = :found where id = :id",
        new MapSqlParameterSource("id", id.value())
            .addValue("username", canonical.value())
            .addValue("key", canonical.key())
            .addValue("found", found));
  }

  void markFrozen(OffboardingId id, Instant at) {
    jdbc.update(
        "update offboarding set frozen_at = coalesce(frozen_at, :at) where id = :id",
        new MapSqlParameterSource("id", id.value()).addValue("at", utc(at)));
  }

  /** Ends the offboarding; the person may be offboarded again afterwards (a rehire who leaves). */
  boolean markEnded(
      OffboardingId id,
      Collection<OffboardingStatus> from,
      OffboardingStatus to,
      Instant at,
      String outcome) {
    return jdbc.update(
            "update offboarding set status = :to, ended_at = :at, outcome = :outcome, open_for = null "
                + "where id = :id and status in (:from)",
            new MapSqlParameterSource("id", id.value())
                .addValue("to", to.name())
                .addValue("at", utc(at))
                .addValue("outcome", outcome)
                .addValue("from", names(from)))
        == 1;
  }

  /** Starts the next round of discovery and verification; returns its number. */
  int nextRound(OffboardingId id) {
    jdbc.update(
        "update offboarding set round = round + 1 where id = :id",
        new MapSqlParameterSource("id", id.value()));
    return round(id);
  }

  int round(OffboardingId id) {
    Integer round =
        jdbc.queryForObject(
            "select round from offboarding where id = :id",
            new MapSqlParameterSource("id", id.value()),
            Integer.class);
    return round == null ? 0 : round;
  }

  /**
   * Whether Portcullis refuses this person: frozen by an offboarding that was not cancelled. Names
   * compare as the directory compares them, without case.
   */
  boolean frozen(Username username) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from offboarding where person_key = :key and frozen_at is not null "
                + "and status <> 'CANCELLED'",
            new MapSqlParameterSource("key", username.key()),
            Integer.class);
    return n != null && n > 0;
  }

  List<Offboarding> list(Username username, OffboardingStatus status, int page, int size) {
    MapSqlParameterSource params = new MapSqlParameterSource();
    String where = where(username, status, params);
    params.addValue("limit", size).addValue("offset", (long) page * size);
    return jdbc.query(
        "select "
            + COLUMNS
            + " from offboarding"
            + where
            + " order by requested_at desc, id limit :limit offset :offset",
        params,
        OffboardingRepository::row);
  }

  long count(Username username, OffboardingStatus status) {
    MapSqlParameterSource params = new MapSqlParameterSource();
    Long n =
        jdbc.queryForObject(
            "select count(*) from offboarding" + where(username, status, params),
            params,
            Long.class);
    return n == null ? 0 : n;
  }

  /** How many offboardings are in each status; a status that none is in is absent. */
  Map<OffboardingStatus, Long> countByStatus() {
    Map<OffboardingStatus, Long> byStatus = new EnumMap<>(OffboardingStatus.class);
    jdbc.query(
        "select status, count(*) from offboarding group by status",
        rs -> {
          byStatus.put(OffboardingStatus.valueOf(rs.getString(1)), rs.getLong(2));
        });
    return byStatus;
  }

  // ---- evidence

  void insertItems(List<Item> items) {
    if (items.isEmpty()) {
      return;
    }
    SqlParameterSource[] rows =
        items.stream()
            .map(
                i ->
                    new MapSqlParameterSource("offboarding", i.offboardingId().value())
                        .addValue("round", i.round())
                        .addValue("kind", i.kind().name())
                        .addValue("system", i.system())
                        .addValue("target", i.target())
                        .addValue("request", i.requestId())
                        .addValue("foundAt", utc(i.foundAt()))
                        .addValue("how", i.doneHow()))
            .toArray(SqlParameterSource[]::new);
    jdbc.batchUpdate(
        "insert into offboarding_item (offboarding_id, round, kind, system_name, target, request_id, found_at, done_how) "
            + "values (:offboarding, :round, :kind, :system, :target, :request, :foundAt, :how)",
        rows);
  }

  /**
   * Records something found and dealt with in one go: an account disabled, a request cancelled, a
   * task handed back.
   */
  void insertDone(Item i, Instant doneAt, String how) {
    jdbc.update(
        "insert into offboarding_item (offboarding_id, round, kind, system_name, target, request_id, found_at, done_at, done_how) "
            + "values (:offboarding, :round, :kind, :system, :target, :request, :foundAt, :doneAt, :how)",
        new MapSqlParameterSource("offboarding", i.offboardingId().value())
            .addValue("round", i.round())
            .addValue("kind", i.kind().name())
            .addValue("system", i.system())
            .addValue("target", i.target())
            .addValue("request", i.requestId())
            .addValue("foundAt", utc(i.foundAt()))
            .addValue("doneAt", utc(doneAt))
            .addValue("how", how));
  }

  List<Item> items(OffboardingId offboardingId) {
    return jdbc.query(
        "select "
            + ITEM_COLUMNS
            + " from offboarding_item where offboarding_id = :id order by round, kind, system_name, id",
        new MapSqlParameterSource("id", offboardingId.value()),
        OffboardingRepository::item);
  }

  List<Item> items(OffboardingId offboardingId, int round, Item.Kind kind) {
    return jdbc.query(
        "select "
            + ITEM_COLUMNS
            + " from offboarding_item where offboarding_id = :id and round = :round and kind = :kind "
            + "order by id",
        new MapSqlParameterSource("id", offboardingId.value())
            .addValue("round", round)
            .addValue("kind", kind.name()),
        OffboardingRepository::item);
  }

  Optional<Item> item(long id) {
    return jdbc
        .query(
            "select " + ITEM_COLUMNS + " from offboarding_item where id = :id",
            new MapSqlParameterSource("id", id),
            OffboardingRepository::item)
        .stream()
        .findFirst();
  }

  /** Records what was done to an item, once: a repeated step keeps the first record. */
  void markDone(long itemId, Instant at, String how) {
    jdbc.update(
        "update offboarding_item set done_at = :at, done_how = :how where id = :id and done_at is null",
        new MapSqlParameterSource("id", itemId).addValue("at", utc(at)).addValue("how", how));
  }

  /**
   * Records that a grant item's request ended, on every round's item for that request not yet done.
   */
  void markGrantEnded(OffboardingId offboardingId, RequestId requestId, Instant at, String how) {
    jdbc.update(
        "update offboarding_item set done_at = :at, done_how = :how where offboarding_id = :id and request_id = :request "
            + "and kind = 'GRANT' and done_at is null",
        new MapSqlParameterSource("id", offboardingId.value())
            .addValue("request", requestId.value())
            .addValue("at", utc(at))
            .addValue("how", how));
  }

  void markVerified(long itemId, Instant at, boolean stillThere) {
    jdbc.update(
        "update offboarding_item set verified_at = :at, still_there = :still where id = :id",
        new MapSqlParameterSource("id", itemId)
            .addValue("at", utc(at))
            .addValue("still", stillThere));
  }

  void insertFinding(
      OffboardingId offboardingId, int round, String system, String what, Instant at) {
    jdbc.update(
        "insert into offboarding_finding (offboarding_id, round, system_name, what, found_at) values (:id, :round, :system, :what, :at)",
        new MapSqlParameterSource("id", offboardingId.value())
            .addValue("round", round)
            .addValue("system", system)
            .addValue("what", what.length() > 1000 ? what.substring(0, 1000) : what)
            .addValue("at", utc(at)));
  }

  List<Finding> findings(OffboardingId offboardingId) {
    return jdbc.query(
        "select round, system_name, what, found_at from offboarding_finding where offboarding_id = :id order by round, id",
        new MapSqlParameterSource("id", offboardingId.value()),
        (rs, n) ->
            new Finding(rs.getInt(1), rs.getString(2), rs.getString(3), instant(rs, "found_at")));
  }

  int findingCount(OffboardingId offboardingId, int round) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from offboarding_finding where offboarding_id = :id and round = :round",
            new MapSqlParameterSource("id", offboardingId.value()).addValue("round", round),
            Integer.class);
    return n == null ? 0 : n;
  }

  void insertFailure(
      OffboardingId offboardingId,
      Instant at,
      String step,
      String system,
      Long itemId,
      int retriesLeft,
      boolean incident,
      String error) {
    jdbc.update(
        "insert into offboarding_failure (offboarding_id, at, step, system_name, item_id, retries_left, incident, error) "
            + "values (:id, :at, :step, :system, :item, :retries, :incident, :error)",
        new MapSqlParameterSource("id", offboardingId.value())
            .addValue("at", utc(at))
            .addValue("step", step)
            .addValue("system", system)
            .addValue("item", itemId)
            .addValue("retries", retriesLeft)
            .addValue("incident", incident)
            .addValue("error", error));
  }

  List<Failure> failures(OffboardingId offboardingId) {
    return jdbc.query(
        "select at, step, system_name, item_id, retries_left, incident, error from offboarding_failure "
            + "where offboarding_id = :id order by id",
        new MapSqlParameterSource("id", offboardingId.value()),
        (rs, n) ->
            new Failure(
                instant(rs, "at"),
                rs.getString("step"),
                rs.getString("system_name"),
                (Long) rs.getObject("item_id", Long.class),
                rs.getInt("retries_left"),
                rs.getBoolean("incident"),
                rs.getString("error")));
  }

  void insertResolution(OffboardingId offboardingId, int round, Resolution r) {
    jdbc.update(
        "insert into offboarding_resolution (offboarding_id, round, resolution, resolved_by, comment, resolved_at) "
            + "values (:id, :round, :resolution, :by, :comment, :at)",
        new MapSqlParameterSource("id", offboardingId.value())
            .addValue("round", round)
            .addValue("resolution", r.resolution())
            .addValue("by", r.by())
            .addValue("comment", r.comment())
            .addValue("at", utc(r.at())));
  }

  Optional<Resolution> resolution(OffboardingId offboardingId, int round) {
    return jdbc
        .query(
            "select resolution, resolved_by, comment, resolved_at from offboarding_resolution where offboarding_id = :id "
                + "and round = :round",
            new MapSqlParameterSource("id", offboardingId.value()).addValue("round", round),
            (rs, n) ->
                new Resolution(
                    rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, "resolved_at")))
        .stream()
        .findFirst();
  }

  List<Resolution> resolutions(OffboardingId offboardingId) {
    return jdbc.query(
        "select resolution, resolved_by, comment, resolved_at from offboarding_resolution where offboarding_id = :id "
            + "order by round",
        new MapSqlParameterSource("id", offboardingId.value()),
        (rs, n) ->
            new Resolution(
                rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, "resolved_at")));
  }

  Instant frozenAt(OffboardingId id) {
    List<Instant> at =
        jdbc.query(
            "select frozen_at from offboarding where id = :id",
            new MapSqlParameterSource("id", id.value()),
            (rs, n) -> instant(rs, "frozen_at"));
    return at.isEmpty() ? null : at.get(0);
  }

  Boolean personFound(OffboardingId id) {
    List<Boolean> found =
        jdbc.query(
            "select person_found from offboarding where id = :id",
            new MapSqlParameterSource("id", id.value()),
            (rs, n) -> (Boolean) rs.getObject(1, Boolean.class));
    return found.isEmpty() ? null : found.get(0);
  }

  // ---- rows

  private Optional<Offboarding> one(String where, MapSqlParameterSource params) {
    return jdbc
        .query(
            "select " + COLUMNS + " from offboarding where " + where,
            params,
            OffboardingRepository::row)
        .stream()
        .findFirst();
  }

  private static String where(
      Username username, OffboardingStatus status, MapSqlParameterSource params) {
    List<String> clauses = new ArrayList<>();
    if (username != null) {
      clauses.add("person_key = :key");
      params.addValue("key", username.key());
    }
    if (status != null) {
      clauses.add("status = :status");
      params.addValue("status", status.name());
    }
    return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
  }

  private static Offboarding row(ResultSet rs, int n) throws SQLException {
    return new Offboarding(
        OffboardingId.of(rs.getString("id")),
        Username.of(rs.getString("username")),
        rs.getString("reference"),
        rs.getString("reason"),
        instant(rs, "effective_at"),
        OffboardingStatus.valueOf(rs.getString("status")),
        rs.getString("requested_by"),
        instant(rs, "requested_at"),
        instant(rs, "started_at"),
        instant(rs, "ended_at"),
        rs.getString("outcome"));
  }

  private static Item item(ResultSet rs, int n) throws SQLException {
    return new Item(
        rs.getLong("id"),
        OffboardingId.of(rs.getString("offboarding_id")),
        rs.getInt("round"),
        Item.Kind.valueOf(rs.getString("kind")),
        rs.getString("system_name"),
        rs.getString("target"),
        rs.getString("request_id"),
        instant(rs, "found_at"),
        instant(rs, "done_at"),
        rs.getString("done_how"),
        instant(rs, "verified_at"),
        (Boolean) rs.getObject("still_there", Boolean.class));
  }

  private static List<String> names(Collection<OffboardingStatus> statuses) {
    return statuses.stream().map(Enum::name).toList();
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Ask ask(ResultSet rs, int n) throws SQLException {
    return new Ask(
        OffboardingId.of(rs.getString("offboarding_id")),
        instant(rs, "asked_at"),
        rs.getString("asked_by"),
        Ask.Door.of(rs.getString("door")),
        rs.getString("reference"),
        rs.getString("reason"),
        instant(rs, "effective_at"),
        Ask.Outcome.valueOf(rs.getString("outcome")),
        instant(rs, "moved_from"),
        instant(rs, "applied_at"));
  }

  /** A finding of verification: something still there in {@code system}. */
  record Finding(int round, String system, String what, Instant foundAt) {}

  /** An admin's decision on what verification found: {@code retry} or {@code close}. */
  record Resolution(String resolution, String by, String comment, Instant at) {}

  /** A failed attempt of a saga step; {@code incident} when it was the last one. */
  record Failure(
      Instant at,
      String step,
      String system,
      Long itemId,
      int retriesLeft,
      boolean incident,
      String error) {}
}
