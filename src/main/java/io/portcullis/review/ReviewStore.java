package io.portcullis.review;

import io.portcullis.catalog.OnUnreviewed;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The campaigns and their items, in the engine's database and transaction. */
@Repository
class ReviewStore {

  private static final String CAMPAIGN_COLUMNS =
      "id, resource_id, owner_group, on_unreviewed, status, started_by, started_at, deadline,"
          + " closed_at, process_instance_id";
  private static final String ITEM_COLUMNS =
      "review_id, item, holder, history, outcome, decided_by, decided_at, decision_comment,"
          + " revoked_at, task_id";

  private final JdbcTemplate jdbc;

  ReviewStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores the campaign; refused with a {@link DuplicateKeyException} when another campaign of the
   * resource is open, whatever its transaction saw (V20's unique {@code open_resource}).
   */
  void insert(Campaign c) {
    jdbc.update(
        "insert into access_review ("
            + CAMPAIGN_COLUMNS
            + ", open_resource) values (?,?,?,?,?,?,?,?,?,?,?)",
        c.id(),
        c.resource().value(),
        c.ownerGroup(),
        c.onUnreviewed().name(),
        c.status(),
        c.startedBy(),
        utc(c.startedAt()),
        utc(c.deadline()),
        utc(c.closedAt()),
        c.processInstanceId(),
        Campaign.OPEN.equals(c.status()) ? c.resource().value() : null);
  }

  void bind(String id, String processInstanceId) {
    jdbc.update(
        "update access_review set process_instance_id = ? where id = ?", processInstanceId, id);
  }

  Optional<Campaign> find(String id) {
    return jdbc
        .query(
            "select " + CAMPAIGN_COLUMNS + " from access_review where id = ?",
            ReviewStore::campaign,
            id)
        .stream()
        .findFirst();
  }

  /** The campaign bound to this instance when it started; never one a variable names. */
  Optional<Campaign> ofInstance(String processInstanceId) {
    return jdbc
        .query(
            "select " + CAMPAIGN_COLUMNS + " from access_review where process_instance_id = ?",
            ReviewStore::campaign,
            processInstanceId)
        .stream()
        .findFirst();
  }

  List<Campaign> list(int limit) {
    return jdbc.query(
        "select " + CAMPAIGN_COLUMNS + " from access_review order by started_at desc, id limit ?",
        ReviewStore::campaign,
        limit);
  }

  Optional<Campaign> openOf(ResourceId resource) {
    return jdbc
        .query(
            "select "
                + CAMPAIGN_COLUMNS
                + " from access_review where resource_id = ? and status = ?",
            ReviewStore::campaign,
            resource.value(),
            Campaign.OPEN)
        .stream()
        .findFirst();
  }

  Optional<Instant> lastStarted(ResourceId resource) {
    OffsetDateTime last =
        jdbc.queryForObject(
            "select max(started_at) from access_review where resource_id = ?",
            OffsetDateTime.class,
            resource.value());
    return Optional.ofNullable(last).map(OffsetDateTime::toInstant);
  }

  void close(String id, Instant at) {
    jdbc.update(
        "update access_review set status = ?, closed_at = ?, open_resource = null"
            + " where id = ? and status = ?",
        Campaign.CLOSED,
        utc(at),
        id,
        Campaign.OPEN);
  }

  boolean hasItems(String id) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from access_review_item where review_id = ?", Integer.class, id);
    return n != null && n > 0;
  }

  void insertItem(String id, int item, Username holder, String history) {
    jdbc.update(
        "insert into access_review_item (review_id, item, holder, history, outcome)"
            + " values (?,?,?,?,?)",
        id,
        item,
        holder.value(),
        history,
        Outcome.PENDING.name());
  }

  List<ReviewItem> items(String id) {
    return jdbc.query(
        "select " + ITEM_COLUMNS + " from access_review_item where review_id = ? order by item",
        ReviewStore::item,
        id);
  }

  Optional<ReviewItem> item(String id, int item) {
    return jdbc
        .query(
            "select " + ITEM_COLUMNS + " from access_review_item where review_id = ? and item = ?",
            ReviewStore::item,
            id,
            item)
        .stream()
        .findFirst();
  }

  Optional<ReviewItem> itemOfTask(String taskId) {
    return jdbc
        .query(
            "select " + ITEM_COLUMNS + " from access_review_item where task_id = ?",
            ReviewStore::item,
            taskId)
        .stream()
        .findFirst();
  }

  void bindTask(String id, int item, String taskId) {
    jdbc.update(
        "update access_review_item set task_id = ? where review_id = ? and item = ?",
        taskId,
        id,
        item);
  }

  /** Records the outcome of a pending item; false when it was decided already. */
  boolean decide(
      String id, int item, Outcome outcome, String decidedBy, Instant at, String comment) {
    return jdbc.update(
            "update access_review_item set outcome = ?, decided_by = ?, decided_at = ?,"
                + " decision_comment = ? where review_id = ? and item = ? and outcome = ?",
            outcome.name(),
            decidedBy,
            utc(at),
            comment,
            id,
            item,
            Outcome.PENDING.name())
        == 1;
  }

  void revoked(String id, int item, Instant at) {
    jdbc.update(
        "update access_review_item set revoked_at = ? where review_id = ? and item = ?",
        utc(at),
        id,
        item);
  }

  private static Campaign campaign(ResultSet rs, int row) throws SQLException {
    return new Campaign(
        rs.getString("id"),
        ResourceId.of(rs.getString("resource_id")),
        rs.getString("owner_group"),
        OnUnreviewed.valueOf(rs.getString("on_unreviewed")),
        rs.getString("status"),
        rs.getString("started_by"),
        instant(rs, "started_at"),
        instant(rs, "deadline"),
        instant(rs, "closed_at"),
        rs.getString("process_instance_id"));
  }

  private static ReviewItem item(ResultSet rs, int row) throws SQLException {
    return new ReviewItem(
        rs.getString("review_id"),
        rs.getInt("item"),
        Username.of(rs.getString("holder")),
        rs.getString("history"),
        Outcome.valueOf(rs.getString("outcome")),
        rs.getString("decided_by"),
        instant(rs, "decided_at"),
        rs.getString("decision_comment"),
        instant(rs, "revoked_at"),
        rs.getString("task_id"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
