package io.portcullis.request;

import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Username;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The reviews of break-glass requests (table {@code break_glass_review}): written in the
 * transaction of the step they describe, as the request's own read model.
 */
@Repository
public class BreakGlassReviews {

  private final NamedParameterJdbcTemplate jdbc;

  BreakGlassReviews(NamedParameterJdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(
      RequestId id,
      Username requester,
      String reviewGroup,
      Collection<String> skippedGroups,
      Instant at) {
    jdbc.update(
        "insert into break_glass_review (request_id, requester, review_group, skipped_groups, opened_at) "
            + "values (:id, :requester, :group, :skipped, :at)",
        new MapSqlParameterSource("id", id.value())
            .addValue("requester", requester.value())
            .addValue("group", reviewGroup)
            .addValue("skipped", String.join(",", skippedGroups))
            .addValue("at", utc(at)));
  }

  /** Binds the review's instance, once: false when the request has none to bind or has one. */
  boolean bind(RequestId id, String processInstanceId) {
    return jdbc.update(
            "update break_glass_review set process_instance_id = :pi "
                + "where request_id = :id and process_instance_id is null",
            new MapSqlParameterSource("id", id.value()).addValue("pi", processInstanceId))
        == 1;
  }

  /** Which of these requests broke glass: those that have a review, open or done. */
  Set<RequestId> brokeGlass(Collection<RequestId> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(
        jdbc
            .queryForList(
                "select request_id from break_glass_review where request_id in (:ids)",
                new MapSqlParameterSource(
                    "ids", ids.stream().map(RequestId::value).distinct().toList()),
                String.class)
            .stream()
            .map(RequestId::of)
            .toList());
  }

  Optional<Review> find(RequestId id) {
    return jdbc
        .query(
            "select * from break_glass_review where request_id = :id",
            new MapSqlParameterSource("id", id.value()),
            (rs, n) -> review(rs))
        .stream()
        .findFirst();
  }

  Optional<Review> ofInstance(String processInstanceId) {
    return jdbc
        .query(
            "select * from break_glass_review where process_instance_id = :pi",
            new MapSqlParameterSource("pi", processInstanceId),
            (rs, n) -> review(rs))
        .stream()
        .findFirst();
  }

  boolean escalate(RequestId id, Instant at) {
    return jdbc.update(
            "update break_glass_review set escalated_at = :at "
                + "where request_id = :id and escalated_at is null and outcome is null",
            new MapSqlParameterSource("id", id.value()).addValue("at", utc(at)))
        == 1;
  }

  /** Records the review, once: false when it was reviewed already. */
  boolean decide(RequestId id, Outcome outcome, Username by, String comment, Instant at) {
    return jdbc.update(
            "update break_glass_review set outcome = :outcome, reviewed_by = :by, reviewed_at = :at, "
                + "review_comment = :comment where request_id = :id and outcome is null",
            new MapSqlParameterSource("id", id.value())
                .addValue("outcome", outcome.name())
                .addValue("by", by.value())
                .addValue("at", utc(at))
                .addValue("comment", comment))
        == 1;
  }

  /** Whether a break-glass of this person was revoked on review. */
  boolean revokedFor(Username requester) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from break_glass_review where requester = :requester and outcome = 'REVOKE'",
            new MapSqlParameterSource("requester", requester.value()),
            Integer.class);
    return n != null && n > 0;
  }

  private static Review review(ResultSet rs) throws SQLException {
    String outcome = rs.getString("outcome");
    String by = rs.getString("reviewed_by");
    return new Review(
        RequestId.of(rs.getString("request_id")),
        Username.of(rs.getString("requester")),
        rs.getString("review_group"),
        Arrays.stream(rs.getString("skipped_groups").split(",")).filter(g -> !g.isEmpty()).toList(),
        instant(rs, "opened_at"),
        rs.getString("process_instance_id"),
        instant(rs, "escalated_at"),
        outcome == null ? null : Outcome.valueOf(outcome),
        by == null ? null : Username.of(by),
        instant(rs, "reviewed_at"),
        rs.getString("review_comment"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /** What the reviewer decided. */
  public enum Outcome {
    KEEP,
    REVOKE
  }

  /** A break-glass request's review; outcome null while it waits. */
  record Review(
      RequestId requestId,
      Username requester,
      String reviewGroup,
      List<String> skippedGroups,
      Instant openedAt,
      String processInstanceId,
      Instant escalatedAt,
      Outcome outcome,
      Username reviewedBy,
      Instant reviewedAt,
      String comment) {}
}
