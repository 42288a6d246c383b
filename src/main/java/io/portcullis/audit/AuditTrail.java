package io.portcullis.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records events in the audit trail, in the caller's transaction: when the caller (a process step,
 * in the engine's transaction) rolls back, its events are gone with it; when it commits, they are
 * there.
 *
 * <p>Three layers protect what is written, for three kinds of reader:
 *
 * <ol>
 *   <li>An <b>entry MAC</b>, written with the event in the step's transaction: HMAC-SHA256 with
 *       {@code portcullis.audit.hmac-key} over the event's content and its row id. Until the event
 *       is sealed it is what proves that Portcullis wrote it, as it is.
 *   <li>A <b>hash chain without a key</b>, given by the {@link AuditSealer} shortly after commit:
 *       each sealed event's hash covers its canonical line (with its gap-free seq) and the hash of
 *       the event before it. Anyone with an export can recompute it offline, and no sealed event
 *       can be changed, removed, inserted or reordered without breaking every hash after it.
 *   <li>A <b>MAC</b> of each hash and <b>signed checkpoints</b> (Ed25519 over seq and hash, every
 *       {@code checkpoint-every} events and each hour), so that a rebuilt chain breaks at its first
 *       rewritten event (online) and at the first checkpoint after the change (online and offline).
 * </ol>
 *
 * Recording takes no lock that another step waits for: the step inserts a row of its own and
 * nothing else. The order and the chain are the sealer's job, one sealer at a time across the
 * cluster.
 */
@NamedInterface("trail")
@Service
public class AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
  private static final String INSERT =
      "insert into audit_event (event_time, actor, action, subject, resource, request_id, "
          + "process_instance_id, details) values (?, ?, ?, ?, ?, ?, ?, ?)";

  private final JdbcTemplate jdbc;
  private final AuditKeys keys;
  private final AuditSealer sealer;
  private final TransactionTemplate transaction;

  AuditTrail(
      JdbcTemplate jdbc,
      AuditKeys keys,
      AuditSealer sealer,
      PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.sealer = sealer;
    this.transaction = new TransactionTemplate(transactions);
  }

  /**
   * Records one event, timed by the engine's clock, in the current transaction (or a new one when
   * there is none). It is sealed (given its seq and hash) shortly after that transaction commits.
   *
   * @return the event as stored: its entry id and MAC, not yet its seq and hash
   * @throws IllegalArgumentException when the draft's details are too long to keep
   */
  public AuditEvent record(AuditEvent.Draft draft) {
    String details = draft.detailsJson();
    Instant time = AuditChain.truncate(ClockUtil.getCurrentTime().toInstant());
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      return insert(jdbc, draft, details, time);
    }
    return transaction.execute(status -> insert(jdbc, draft, details, time));
  }

  /**
   * Records one event so that it stays whatever happens to the caller's transaction: for a refusal,
   * whose own transaction is about to roll back. Outside a transaction it is recorded at once.
   * Inside one, it is recorded when that transaction has ended (committed or rolled back), on the
   * same connection, committed on its own, so this never holds a second pooled connection while the
   * caller holds one (which, with the pool exhausted, would wait for ever behind callers doing the
   * same).
   *
   * @return the event as it will be recorded (entry id 0 until it is) or, outside a transaction, as
   *     stored
   */
  public AuditEvent recordOnItsOwn(AuditEvent.Draft draft) {
    String details = draft.detailsJson();
    Instant time = AuditChain.truncate(ClockUtil.getCurrentTime().toInstant());
    if (!TransactionSynchronizationManager.isActualTransactionActive()
        || !TransactionSynchronizationManager.isSynchronizationActive()) {
      return transaction.execute(status -> insert(jdbc, draft, details, time));
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            recordAfter(draft, details, time);
          }
        });
    return new AuditEvent(
        0,
        time,
        draft.actor(),
        draft.action(),
        draft.subject(),
        draft.resource(),
        draft.requestId(),
        draft.processInstanceId(),
        details,
        null,
        null,
        null,
        0,
        null);
  }

  /**
   * Seals what is committed and signs the end of the chain, unless it is signed already (an idle
   * hour adds nothing). Called each hour by {@code processes/audit-checkpoint.bpmn}, so that what
   * was recorded in that hour can be verified offline without waiting for the next {@code
   * checkpoint-every} events, and before an export to the end of the trail.
   *
   * @return the checkpoint at the end of the chain, or empty when the trail has no event yet
   */
  public Optional<AuditCheckpoint> checkpointNow() {
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      return sealer.checkpointHead();
    }
    return transaction.execute(status -> sealer.checkpointHead());
  }

  /**
   * Inserts the entry, then its MAC, which covers the row id the database gave it: two statements
   * on a row that only this transaction can see, so they wait for nobody.
   */
  private AuditEvent insert(JdbcTemplate on, AuditEvent.Draft draft, String details, Instant time) {
    KeyHolder key = new GeneratedKeyHolder();
    on.update(
        con -> {
          PreparedStatement insert = con.prepareStatement(INSERT, new String[] {"id"});
          insert.setObject(1, utc(time));
          insert.setString(2, draft.actor());
          insert.setString(3, draft.action());
          insert.setString(4, draft.subject());
          insert.setString(5, draft.resource());
          insert.setString(6, draft.requestId());
          insert.setString(7, draft.processInstanceId());
          insert.setString(8, details);
          return insert;
        },
        key);
    long id = key.getKey().longValue();
    AuditEvent entry =
        new AuditEvent(
            0,
            time,
            draft.actor(),
            draft.action(),
            draft.subject(),
            draft.resource(),
            draft.requestId(),
            draft.processInstanceId(),
            details,
            null,
            null,
            null,
            id,
            null);
    String entryMac = keys.mac(AuditChain.entryMacText(entry.entryLine()));
    on.update("update audit_event set entry_mac = ? where id = ?", entryMac, id);
    return new AuditEvent(
        0,
        time,
        entry.actor(),
        entry.action(),
        entry.subject(),
        entry.resource(),
        entry.requestId(),
        entry.processInstanceId(),
        details,
        null,
        null,
        null,
        id,
        entryMac);
  }

  /**
   * After the caller's transaction ended, its connection is still bound to this thread until the
   * transaction manager releases it: the event goes in on that connection, in a transaction of its
   * own. Where no connection is bound (another kind of transaction manager), it takes one, as
   * nothing is held.
   */
  private void recordAfter(AuditEvent.Draft draft, String details, Instant time) {
    DataSource dataSource = jdbc.getDataSource();
    Object resource =
        dataSource == null ? null : TransactionSynchronizationManager.getResource(dataSource);
    try {
      if (resource instanceof ConnectionHolder holder && holder.getConnection() != null) {
        Connection con = holder.getConnection();
        boolean autoCommit = con.getAutoCommit();
        try {
          con.setAutoCommit(false);
          insert(new JdbcTemplate(new SingleConnectionDataSource(con, true)), draft, details, time);
          con.commit();
        } catch (SQLException | RuntimeException e) {
          con.rollback();
          throw e;
        } finally {
          con.setAutoCommit(autoCommit);
        }
      } else {
        TransactionTemplate own = new TransactionTemplate(transaction.getTransactionManager());
        own.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        own.executeWithoutResult(status -> insert(jdbc, draft, details, time));
      }
    } catch (SQLException | RuntimeException e) {
      // the caller's outcome stands; the refusal is lost, and that is said loudly
      log.error(
          "audit event {} by {} could not be recorded after its transaction ended: {}",
          draft.action(),
          draft.actor(),
          e.toString());
    }
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
