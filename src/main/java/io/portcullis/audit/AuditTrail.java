package io.portcullis.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends events to the audit trail, in the caller's transaction: when the caller (a process step, in
 * the engine's transaction) rolls back, its events are gone with it; when it commits, they are there.
 *
 * <p>Two layers protect what is written, for two kinds of reader:
 * <ol>
 *   <li>A <b>hash chain without a key</b>: each event's hash covers its canonical line and the hash of
 *       the event before it. Anyone with an export can recompute it offline, and no event can be
 *       changed, removed, inserted or reordered without breaking every hash after it. But someone who
 *       can write to the database could rebuild the whole chain after a change.
 *   <li>Two things stop that. Each event carries a <b>MAC</b> (HMAC-SHA256 of its hash with {@code
 *       portcullis.audit.hmac-key}), which only the online verification can check and only the
 *       application can compute; and <b>signed checkpoints</b> (Ed25519 over seq and hash, every
 *       {@code checkpoint-every} events and each hour) which anyone with the public key can check, so a
 *       rebuilt chain breaks at the first checkpoint after the change, online and offline.
 * </ol>
 * Events are serialized through one locked head row: sequence numbers are gap-free and in commit
 * order, on one node or many sharing the database.
 */
@Service
public class AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private final JdbcTemplate jdbc;
  private final AuditKeys keys;
  private final AuditProperties properties;
  private final AuditLogLine logLine;

  AuditTrail(JdbcTemplate jdbc, AuditKeys keys, AuditProperties properties, AuditLogLine logLine) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.properties = properties;
    this.logLine = logLine;
  }

  /**
   * Appends one event, timed by the engine's clock, in the current transaction (or a new one when there
   * is none). Holds the trail's lock until that transaction ends, so keep it short.
   *
   * @return the event as stored, with its seq and hash
   * @throws IllegalArgumentException when the draft's details are too long to keep
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public AuditEvent record(AuditEvent.Draft draft) {
    String details = draft.detailsJson();
    Head head = lockHead();
    long seq = head.lastSeq() + 1;
    Instant time = AuditChain.truncate(ClockUtil.getCurrentTime().toInstant());
    String line = AuditChain.canonicalLine(seq, time, draft.actor(), draft.action(), draft.subject(), draft.resource(),
        draft.requestId(), draft.processInstanceId(), details);
    String hash = AuditChain.hash(head.lastHash(), line);
    AuditEvent event = new AuditEvent(seq, time, draft.actor(), draft.action(), draft.subject(), draft.resource(),
        draft.requestId(), draft.processInstanceId(), details, head.lastHash(), hash, keys.mac(hash));
    jdbc.update("insert into audit_event (seq, event_time, actor, action, subject, resource, request_id, process_instance_id, "
            + "details, prev_hash, hash, mac) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        seq, utc(time), event.actor(), event.action(), event.subject(), event.resource(), event.requestId(),
        event.processInstanceId(), details, event.prevHash(), hash, event.mac());
    jdbc.update("update audit_head set last_seq = ?, last_hash = ? where id = 1", seq, hash);
    if (seq % properties.checkpointEvery() == 0) {
      sign(seq, hash, time);
    }
    logLine.afterCommit(event);
    return event;
  }

  /**
   * Appends one event in a transaction of its own, which commits whatever happens to the caller's: for
   * a refusal, whose own transaction is about to roll back. Never call it from a transaction that has
   * already recorded an event: that transaction holds the trail's lock until it ends.
   */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public AuditEvent recordOnItsOwn(AuditEvent.Draft draft) {
    return record(draft);
  }

  /**
   * Signs the current end of the chain, unless it is signed already (an idle hour adds nothing). Called
   * each hour by {@code processes/audit-checkpoint.bpmn}, so that what was recorded in that hour can be
   * verified offline without waiting for the next {@code checkpoint-every} events.
   *
   * @return the checkpoint at the end of the chain, or empty when the trail has no event yet
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public Optional<AuditCheckpoint> checkpointNow() {
    Head head = lockHead();
    if (head.lastSeq() == 0) {
      return Optional.empty();
    }
    List<AuditCheckpoint> existing = jdbc.query("select " + AuditRows.CHECKPOINT_COLUMNS + " from audit_checkpoint where seq = ?",
        AuditRows::checkpoint, head.lastSeq());
    if (!existing.isEmpty()) {
      return Optional.of(existing.get(0));
    }
    AuditCheckpoint checkpoint = sign(head.lastSeq(), head.lastHash(), AuditChain.truncate(ClockUtil.getCurrentTime().toInstant()));
    log.info("audit checkpoint signed at seq {} ({})", checkpoint.seq(), checkpoint.keyId());
    return Optional.of(checkpoint);
  }

  private AuditCheckpoint sign(long seq, String hash, Instant at) {
    String signature = Base64.getEncoder().encodeToString(keys.sign(AuditChain.checkpointMessage(seq, hash)));
    AuditCheckpoint checkpoint = new AuditCheckpoint(seq, hash, at, keys.keyId(), signature);
    jdbc.update("insert into audit_checkpoint (seq, hash, signed_at, key_id, signature) values (?, ?, ?, ?, ?)",
        seq, hash, utc(at), checkpoint.keyId(), signature);
    return checkpoint;
  }

  private Head lockHead() {
    return jdbc.queryForObject("select last_seq, last_hash from audit_head where id = 1 for update",
        (rs, n) -> new Head(rs.getLong("last_seq"), rs.getString("last_hash")));
  }

  static java.time.OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private record Head(long lastSeq, String lastHash) {}
}
