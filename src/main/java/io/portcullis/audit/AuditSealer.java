package io.portcullis.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives committed audit entries their place in the chain, shortly after their step commits: the
 * next gap-free {@code seq}, {@code prevHash}, {@code hash} and {@code mac}, a signed checkpoint
 * every {@code checkpoint-every} events, and then their line in the SIEM copy ({@link
 * AuditLogLine}).
 *
 * <p><b>One at a time, across the cluster.</b> Every sealing transaction first locks the trail's
 * head row ({@code select ... for update} on {@code audit_head}, the same on H2 and PostgreSQL); a
 * second node's sealer waits for it, then finds nothing left to seal. Process steps never take that
 * lock: the only contention left is between sealers, checkpoints and retention, none of them on a
 * request's path.
 *
 * <p><b>Order.</b> Entries are sealed in the order of their row id among those committed when the
 * round reads them; an entry whose transaction commits late is sealed in a later round, after
 * events that committed before it. So seq follows commit order up to one round.
 *
 * <p><b>Only what Portcullis wrote.</b> An entry is sealed only if its entry MAC is right: the
 * sealer never chains a row that someone wrote or changed in the database without the key. Such a
 * row is left unsealed, logged as an error, and reported by {@link AuditVerifier}.
 *
 * <p><b>The SIEM copy never claims what the database lost.</b> A line is written only for a seal
 * that is committed and durable: on H2 the sealer forces the store to disk ({@code CHECKPOINT
 * SYNC}) first, since H2 acknowledges a commit before it is written; PostgreSQL's commit is durable
 * as it returns. How far the copy got is kept in {@code audit_head.logged_seq}, so a round after a
 * crash writes the lines that the crash left out (a line may then appear twice, identical; never
 * two lines with one seq and two hashes).
 *
 * <p><b>Why a loop in Java, when BPMN owns time (docs/architecture.md, rule 1).</b> The sealer is
 * infrastructure like Camunda's job executor, which also polls on a fixed delay: it decides no
 * flow, no deadline and no retry of anyone's work, it only orders and signs what steps have already
 * committed. A BPMN timer or an engine job per round would write engine rows and history several
 * times a second and compete with the very jobs it is meant to keep out of the way of. Its delay
 * ({@code portcullis.audit.sealer.interval}) is an operating setting, not a business time.
 */
@Component
public class AuditSealer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(AuditSealer.class);

  /** At most this many SIEM lines in one transaction; a backlog goes on in the next round. */
  static final int MAX_LINES_PER_ROUND = 10_000;

  /**
   * Seals one entry, found by id alone: the sealing transaction holds the head lock, which every
   * sealer takes before it reads, so no other sealer can seal the entry meanwhile. With {@code and
   * seq is null} added, H2 planned the update on seq's unique index, where every unsealed entry
   * sits under the one key null, and walked the whole backlog for each entry: sealing a backlog of
   * 20,000 took 43 s.
   */
  static final String SEAL_ENTRY =
      "update audit_event set seq = ?, prev_hash = ?, hash = ?, mac = ? where id = ?";

  private final JdbcTemplate jdbc;
  private final AuditKeys keys;
  private final AuditProperties properties;
  private final AuditLogLine logLine;
  private final TransactionTemplate ownTransaction;
  private final SealingDelays delays = new SealingDelays();
  private final Set<Long> reportedBadEntries = ConcurrentHashMap.newKeySet();
  private volatile Durability durability;
  private ScheduledExecutorService loop;

  AuditSealer(
      JdbcTemplate jdbc,
      AuditKeys keys,
      AuditProperties properties,
      AuditLogLine logLine,
      PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.properties = properties;
    this.logLine = logLine;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /**
   * One round: seals every entry committed so far, in transactions of their own of at most {@code
   * batch-size} entries, then writes the SIEM lines of what is durably sealed. The loop calls it
   * every {@code interval}; tests call it to seal at once. Never inside a transaction: what it
   * seals must be committed before its lines are written.
   *
   * @return how many entries this call sealed (another node's sealer may have sealed the rest)
   */
  public int seal() {
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "the audit sealer commits on its own: call it outside a transaction");
    }
    int sealed = 0;
    try {
      if (hasPending()) {
        long afterId = 0;
        while (true) {
          long from = afterId;
          Batch batch =
              ownTransaction.execute(status -> sealBatch(from, properties.sealer().batchSize()));
          delays.add(batch.times(), now());
          sealed += batch.times().size();
          if (batch.read() < properties.sealer().batchSize()) {
            break;
          }
          afterId = batch.lastId();
        }
      }
      writeLogLines();
    } catch (QueryTimeoutException | PessimisticLockingFailureException busy) {
      // the head row is held longer than the database's lock timeout (H2: 2 s) by another sealer, a
      // checkpoint or a prune: it seals meanwhile, and what is left goes in the next round
      log.debug("audit head busy, this round ends after {} sealed: {}", sealed, busy.toString());
    }
    return sealed;
  }

  /**
   * Seals every committed entry in the caller's transaction, then signs the end of the chain unless
   * it is signed already. The hourly checkpoint and an export call it, so that what they sign and
   * export is everything recorded so far. Their SIEM lines follow in the next round of {@link
   * #seal()}.
   */
  Optional<AuditCheckpoint> checkpointHead() {
    long afterId = 0;
    Batch batch;
    do {
      batch = sealBatch(afterId, properties.sealer().batchSize());
      afterId = batch.lastId();
    } while (batch.read() == properties.sealer().batchSize());
    Head head = lockHead();
    if (head.lastSeq() == 0) {
      return Optional.empty();
    }
    List<AuditCheckpoint> existing =
        jdbc.query(
            "select " + AuditRows.CHECKPOINT_COLUMNS + " from audit_checkpoint where seq = ?",
            AuditRows::checkpoint,
            head.lastSeq());
    if (!existing.isEmpty()) {
      return Optional.of(existing.get(0));
    }
    AuditCheckpoint checkpoint = sign(head.lastSeq(), head.lastHash(), now());
    log.info("audit checkpoint signed at seq {} ({})", checkpoint.seq(), checkpoint.keyId());
    return Optional.of(checkpoint);
  }

  /**
   * How long sealed events waited, from their time to their seal's commit, since the last reset.
   */
  public SealingDelays.Summary delays() {
    return delays.summary();
  }

  public void resetDelays() {
    delays.reset();
  }

  private boolean hasPending() {
    return !jdbc.queryForList(
            "select id from audit_event where seq is null order by id limit 1", Long.class)
        .isEmpty();
  }

  /**
   * In the current transaction: locks the head and chains up to {@code max} entries after {@code
   * afterId}.
   */
  private Batch sealBatch(long afterId, int max) {
    Head head = lockHead();
    List<AuditEvent> entries =
        jdbc.query(
            "select "
                + AuditRows.READ_COLUMNS
                + " from audit_event where seq is null and id > ? "
                + "order by id limit ?",
            AuditRows::event,
            afterId,
            max);
    long seq = head.lastSeq();
    String prevHash = head.lastHash();
    List<Object[]> updates = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    List<AuditEvent> toSign = new ArrayList<>();
    for (AuditEvent entry : entries) {
      if (!validEntry(entry)) {
        if (reportedBadEntries.add(entry.entryId())) {
          log.error(
              "audit entry {} is not sealed: its entry MAC does not match its content, so Portcullis did not write it as it is "
                  + "(GET /api/audit/verify reports it)",
              entry.entryId());
        }
        continue;
      }
      seq++;
      String hash =
          AuditChain.hash(
              prevHash,
              AuditChain.canonicalLine(
                  seq,
                  entry.time(),
                  entry.actor(),
                  entry.action(),
                  entry.subject(),
                  entry.resource(),
                  entry.requestId(),
                  entry.processInstanceId(),
                  entry.details()));
      updates.add(new Object[] {seq, prevHash, hash, keys.mac(hash), entry.entryId()});
      if (seq % properties.checkpointEvery() == 0) {
        toSign.add(entry.sealedAs(seq, prevHash, hash, null));
      }
      times.add(entry.time());
      prevHash = hash;
    }
    if (!updates.isEmpty()) {
      int[] counts = jdbc.batchUpdate(SEAL_ENTRY, updates);
      for (int count : counts) {
        if (count != 1 && count != Statement.SUCCESS_NO_INFO) {
          throw new IllegalStateException(
              "an audit entry vanished while it was sealed; the round is rolled back and tried again");
        }
      }
      Instant at = now();
      toSign.forEach(e -> sign(e.seq(), e.hash(), at));
      jdbc.update("update audit_head set last_seq = ?, last_hash = ? where id = 1", seq, prevHash);
    }
    long lastId = entries.isEmpty() ? afterId : entries.get(entries.size() - 1).entryId();
    return new Batch(entries.size(), lastId, times);
  }

  private boolean validEntry(AuditEvent entry) {
    return entry.time().equals(AuditChain.truncate(entry.time()))
        && AuditVerifier.validEntryMac(keys, entry);
  }

  /**
   * Writes the SIEM lines of sealed events that have none yet, but only as far as the seal is
   * durable: the head is read, the database is made to persist what it acknowledged, and only then
   * are the lines up to that head written.
   */
  private void writeLogLines() {
    Head committed = head();
    if (committed.loggedSeq() >= committed.lastSeq()) {
      return;
    }
    long durable = committed.lastSeq();
    durability().flush(jdbc);
    ownTransaction.executeWithoutResult(
        status -> {
          Head head = lockHead();
          if (head.loggedSeq() >= durable) {
            return; // another sealer wrote them
          }
          long through = Math.min(durable, head.loggedSeq() + MAX_LINES_PER_ROUND);
          if (logLine.enabled()) {
            jdbc.query(
                "select "
                    + AuditRows.READ_COLUMNS
                    + " from audit_event where seq > ? and seq <= ? order by seq",
                (ResultSet rs) -> logLine.write(AuditRows.event(rs, 0)),
                head.loggedSeq(),
                through);
          }
          jdbc.update("update audit_head set logged_seq = ? where id = 1", through);
        });
  }

  private AuditCheckpoint sign(long seq, String hash, Instant at) {
    String signature =
        Base64.getEncoder().encodeToString(keys.sign(AuditChain.checkpointMessage(seq, hash)));
    AuditCheckpoint checkpoint = new AuditCheckpoint(seq, hash, at, keys.keyId(), signature);
    jdbc.update(
        "insert into audit_checkpoint (seq, hash, signed_at, key_id, signature) values (?, ?, ?, ?, ?)",
        seq,
        hash,
        AuditTrail.utc(at),
        checkpoint.keyId(),
        signature);
    return checkpoint;
  }

  private Head lockHead() {
    return jdbc.queryForObject(
        "select last_seq, last_hash, logged_seq from audit_head where id = 1 for update",
        AuditSealer::head);
  }

  private Head head() {
    return jdbc.queryForObject(
        "select last_seq, last_hash, logged_seq from audit_head where id = 1", AuditSealer::head);
  }

  private static Head head(ResultSet rs, int row) throws SQLException {
    return new Head(rs.getLong("last_seq"), rs.getString("last_hash"), rs.getLong("logged_seq"));
  }

  private static Instant now() {
    return AuditChain.truncate(ClockUtil.getCurrentTime().toInstant());
  }

  private Durability durability() {
    if (durability == null) {
      String product =
          jdbc.execute(
              (ConnectionCallback<String>) con -> con.getMetaData().getDatabaseProductName());
      durability = "H2".equalsIgnoreCase(product) ? new Durability(true) : new Durability(false);
    }
    return durability;
  }

  // --- the loop

  @Override
  public boolean isAutoStartup() {
    return properties.sealer().enabled();
  }

  @Override
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    long millis = properties.sealer().interval().toMillis();
    loop =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "audit-sealer");
              thread.setDaemon(true);
              return thread;
            });
    loop.scheduleWithFixedDelay(this::round, 0, millis, TimeUnit.MILLISECONDS);
    log.info("audit sealer started: a round every {} ms", millis);
  }

  /** Stops the loop after its current round, then seals once more what was committed until then. */
  @Override
  public void stop() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = loop;
      loop = null;
    }
    if (stopping == null) {
      return;
    }
    stopping.shutdown();
    try {
      if (!stopping.awaitTermination(30, TimeUnit.SECONDS)) {
        stopping.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    round();
  }

  @Override
  public synchronized boolean isRunning() {
    return loop != null;
  }

  private void round() {
    try {
      seal();
    } catch (RuntimeException e) {
      // a lock timeout behind a long prune, a database briefly away: the next round tries again
      log.warn(
          "audit sealing round failed, retried in {}: {}",
          properties.sealer().interval(),
          e.toString());
    }
  }

  private record Head(long lastSeq, String lastHash, long loggedSeq) {}

  private record Batch(int read, long lastId, List<Instant> times) {}

  /**
   * Makes what the database acknowledged durable before a SIEM line claims it. H2 (file) writes
   * committed transactions to disk in the background, up to its write delay later, so a crash can
   * lose commits that were acknowledged; {@code CHECKPOINT SYNC} writes and syncs them now. Other
   * databases (PostgreSQL with its default {@code synchronous_commit=on}) are durable when the
   * commit returns.
   */
  private static final class Durability {
    private final boolean h2;
    private volatile boolean warned;

    Durability(boolean h2) {
      this.h2 = h2;
    }

    void flush(JdbcTemplate jdbc) {
      if (!h2) {
        return;
      }
      try {
        jdbc.execute("checkpoint sync");
      } catch (RuntimeException e) {
        if (!warned) {
          warned = true;
          log.warn(
              "audit SIEM lines cannot be held back until H2 has written them to disk (CHECKPOINT SYNC refused: {}); a crash may "
                  + "lose commits that the log copy already shows",
              e.toString());
        }
      }
    }
  }

  /** Sealing delays in milliseconds, kept for the last {@value #KEPT} events. */
  public static final class SealingDelays {
    static final int KEPT = 200_000;
    private final long[] millis = new long[KEPT];
    private long count;
    private long max;

    synchronized void add(List<Instant> times, Instant sealedAt) {
      for (Instant t : times) {
        long ms = Math.max(0, Duration.between(t, sealedAt).toMillis());
        millis[(int) (count++ % KEPT)] = ms;
        max = Math.max(max, ms);
      }
    }

    synchronized void reset() {
      count = 0;
      max = 0;
    }

    synchronized Summary summary() {
      int n = (int) Math.min(count, KEPT);
      long[] sorted = Arrays.copyOf(millis, n);
      Arrays.sort(sorted);
      return new Summary(
          count,
          n == 0 ? 0 : sorted[(n - 1) / 2],
          n == 0 ? 0 : sorted[(int) Math.ceil(0.99 * n) - 1],
          max);
    }

    /**
     * p50 and p99 over the last {@value #KEPT} sealed events, max over all since the last reset.
     */
    public record Summary(long events, long p50Millis, long p99Millis, long maxMillis) {}
  }
}
