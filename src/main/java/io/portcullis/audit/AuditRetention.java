package io.portcullis.audit;

import java.time.Instant;
import java.util.Optional;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Removes events older than {@code portcullis.audit.retention}, when it is set; by default nothing
 * is ever removed. The trail is cut only just after a signed checkpoint, which stays as the new
 * anchor: the first event kept follows the hash that the checkpoint signs, so the verifier (online
 * and offline) still checks everything that is left. The cut itself is recorded as an event.
 *
 * <p>Called each hour by {@code processes/audit-checkpoint.bpmn}, after the checkpoint is signed.
 */
@Service
public class AuditRetention {

  private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

  /**
   * At most this many events go in one run, so one transaction stays small; the next hour goes on.
   */
  static final long MAX_EVENTS_PER_RUN = 100_000;

  private final JdbcTemplate jdbc;
  private final AuditProperties properties;
  private final AuditTrail trail;
  private volatile Boolean postgres;

  AuditRetention(JdbcTemplate jdbc, AuditProperties properties, AuditTrail trail) {
    this.jdbc = jdbc;
    this.properties = properties;
    this.trail = trail;
  }

  /**
   * Prunes what the retention setting allows.
   *
   * @return the seq of the checkpoint that is now the anchor, or empty when nothing was pruned
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public Optional<Long> prune() {
    if (properties.retention() == null) {
      return Optional.empty();
    }
    Instant cutoff = ClockUtil.getCurrentTime().toInstant().minus(properties.retention());
    // sealers wait while the trail is cut, so the head cannot move past what is decided here
    long head =
        jdbc.queryForObject("select last_seq from audit_head where id = 1 for update", Long.class);
    Long first = jdbc.queryForObject("select min(seq) from audit_event", Long.class);
    if (first == null) {
      return Optional.empty();
    }
    Long firstToKeep =
        jdbc.queryForObject(
            "select min(seq) from audit_event where event_time >= ?",
            Long.class,
            AuditTrail.utc(cutoff));
    long limit = Math.min(firstToKeep == null ? head : firstToKeep, head) - 1;
    Long anchor =
        jdbc.queryForObject(
            "select max(seq) from audit_checkpoint where seq >= ? and seq <= ?",
            Long.class,
            first,
            Math.min(limit, first - 1 + MAX_EVENTS_PER_RUN));
    if (anchor == null) {
      return Optional.empty();
    }
    int events = delete(anchor);
    if (events < 0) {
      log.warn(
          "the database's audit retention does not allow pruning through seq {} (events older than {}): set it with "
              + "portcullis.audit.retention, which the migration role copies to it at start-up",
          anchor,
          properties.retention());
      return Optional.empty();
    }
    trail.record(
        AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.AUDIT_PRUNED)
            .detail("throughSeq", anchor)
            .detail("events", events)
            .detail("retention", properties.retention())
            .detail("olderThan", cutoff));
    return Optional.of(anchor);
  }

  /**
   * Deletes the events through the anchor and the checkpoints before it. On PostgreSQL the runtime
   * role may not delete from the trail: its owner's function {@code audit_prune} does, and only
   * what the database's copy of the retention allows ({@code db/vendor/postgresql}); elsewhere (H2,
   * one user) directly.
   *
   * @return how many events went, or -1 when the database refused
   */
  private int delete(long anchor) {
    if (postgres == null) {
      postgres =
          "PostgreSQL"
              .equalsIgnoreCase(
                  jdbc.execute(
                      (ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName()));
    }
    if (postgres) {
      return jdbc.queryForObject("select audit_prune(?)", Integer.class, anchor);
    }
    int events = jdbc.update("delete from audit_event where seq <= ?", anchor);
    jdbc.update("delete from audit_checkpoint where seq < ?", anchor);
    return events;
  }
}
