package io.portcullis.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks the whole trail as it is in the database, with every key: each sealed event's sequence
 * number, its link to the event before, its hash, its MAC and (where it has one) its entry MAC,
 * each checkpoint's signature and hash, that no stretch of {@code checkpoint-every} events goes
 * unsigned, and that the head row agrees with the last event; then each event not sealed yet by its
 * entry MAC, counted as pending, not as a fault. Streams the events in order, so memory does not
 * grow with the trail (the checkpoints, one per {@code checkpoint-every} events or hour, are held
 * in memory).
 *
 * <p>Recording and sealing may go on while it runs: it checks the chain as far as the head was when
 * it started, and the events sealed meanwhile as far as its query sees them; an event sealed
 * between the two passes is counted in neither.
 */
@Service
public class AuditVerifier {

  private static final int FETCH_SIZE = 1000;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate readOnly;
  private final AuditKeys keys;
  private final AuditProperties properties;

  AuditVerifier(
      DataSource dataSource,
      PlatformTransactionManager transactions,
      AuditKeys keys,
      AuditProperties properties) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.jdbc.setFetchSize(FETCH_SIZE);
    // PostgreSQL streams a result with a fetch size only inside a transaction; otherwise it loads
    // it all
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
    this.keys = keys;
    this.properties = properties;
  }

  public AuditVerification verify() {
    return readOnly.execute(status -> walk());
  }

  private AuditVerification walk() {
    Head start = head();
    NavigableMap<Long, AuditCheckpoint> checkpoints = new TreeMap<>();
    jdbc.query(
        "select " + AuditRows.CHECKPOINT_COLUMNS + " from audit_checkpoint order by seq",
        (ResultSet rs) -> {
          AuditCheckpoint c = AuditRows.checkpoint(rs, 0);
          checkpoints.put(c.seq(), c);
        });
    Walk walk = new Walk(start, checkpoints);
    try {
      jdbc.query(
          "select "
              + AuditRows.READ_COLUMNS
              + " from audit_event where seq is not null order by seq",
          walk::check);
    } catch (BadSeq bad) {
      return walk.result(bad);
    }
    BadSeq bad = walk.finish(head());
    if (bad != null) {
      return walk.result(bad);
    }
    try {
      jdbc.query(
          "select " + AuditRows.READ_COLUMNS + " from audit_event where seq is null order by id",
          walk::checkPending);
    } catch (BadSeq badEntry) {
      return walk.result(badEntry);
    }
    return walk.result(null);
  }

  static boolean validEntryMac(AuditKeys keys, AuditEvent e) {
    return e.entryMac() != null
        && MessageDigest.isEqual(
            e.entryMac().getBytes(StandardCharsets.US_ASCII),
            keys.mac(AuditChain.entryMacText(e.entryLine())).getBytes(StandardCharsets.US_ASCII));
  }

  private Head head() {
    return jdbc.queryForObject(
        "select last_seq, last_hash from audit_head where id = 1",
        (rs, n) -> new Head(rs.getLong("last_seq"), rs.getString("last_hash")));
  }

  private record Head(long lastSeq, String lastHash) {}

  /** The first fault found; ends the walk. */
  private static final class BadSeq extends RuntimeException {
    final Long seq;
    final Long entry;

    BadSeq(long seq, String reason) {
      this(seq, null, reason);
    }

    BadSeq(Long seq, Long entry, String reason) {
      super(reason, null, false, false);
      this.seq = seq;
      this.entry = entry;
    }
  }

  /** One pass over the events, in seq order. */
  private final class Walk {
    private final Head start;
    private final NavigableMap<Long, AuditCheckpoint> checkpoints;
    private long expectedSeq = -1;
    private String prevHash;
    private long lastCheckpointSeq;
    private long eventsChecked;
    private long checkpointsChecked;
    private String headHashSeen;
    private long pending;
    private Instant oldestPending;

    Walk(Head start, NavigableMap<Long, AuditCheckpoint> checkpoints) {
      this.start = start;
      this.checkpoints = checkpoints;
    }

    void check(ResultSet rs) throws SQLException {
      AuditEvent e = AuditRows.event(rs, 0);
      if (expectedSeq < 0) {
        anchor(e);
      }
      if (e.seq() != expectedSeq) {
        throw new BadSeq(
            expectedSeq,
            "event " + expectedSeq + " is missing: the next event in the trail is " + e.seq());
      }
      if (!e.prevHash().equals(prevHash)) {
        throw new BadSeq(
            e.seq(),
            "event "
                + e.seq()
                + " does not follow event "
                + (e.seq() - 1)
                + ": its prev_hash is not the hash before it (removed, inserted or reordered events)");
      }
      // the canonical line shows milliseconds, so a change below them would not change the hash
      if (!e.hash().equals(AuditChain.hash(e.prevHash(), e.canonicalLine()))
          || !e.time().equals(AuditChain.truncate(e.time()))) {
        throw new BadSeq(
            e.seq(), "event " + e.seq() + " was changed: its content does not match its hash");
      }
      if (!MessageDigest.isEqual(
          e.mac().getBytes(StandardCharsets.US_ASCII),
          keys.mac(e.hash()).getBytes(StandardCharsets.US_ASCII))) {
        throw new BadSeq(
            e.seq(),
            "event "
                + e.seq()
                + " has an invalid MAC: it was not written by Portcullis with its key");
      }
      // events sealed before entries had a MAC of their own have none; the chain and mac cover them
      if (e.entryMac() != null && !validEntryMac(keys, e)) {
        throw new BadSeq(
            e.seq(),
            "event "
                + e.seq()
                + " was changed: its content or entry id does not match its entry MAC");
      }
      AuditCheckpoint checkpoint = checkpoints.get(e.seq());
      if (checkpoint != null) {
        checkCheckpoint(checkpoint, e);
        lastCheckpointSeq = e.seq();
        checkpointsChecked++;
      } else if (e.seq() <= start.lastSeq()
          && e.seq() - lastCheckpointSeq >= properties.checkpointEvery()) {
        throw new BadSeq(
            e.seq(),
            "no signed checkpoint covers events "
                + (lastCheckpointSeq + 1)
                + " to "
                + e.seq()
                + ": one is written every "
                + properties.checkpointEvery()
                + " events (a checkpoint was removed)");
      }
      if (e.seq() == start.lastSeq()) {
        headHashSeen = e.hash();
      }
      prevHash = e.hash();
      expectedSeq = e.seq() + 1;
      eventsChecked++;
    }

    /** An event committed but not sealed yet: only its entry MAC can vouch for it. */
    void checkPending(ResultSet rs) throws SQLException {
      AuditEvent e = AuditRows.event(rs, 0);
      if (!validEntryMac(keys, e) || !e.time().equals(AuditChain.truncate(e.time()))) {
        throw new BadSeq(
            null,
            e.entryId(),
            "entry "
                + e.entryId()
                + ", not sealed yet, has an invalid entry MAC: it was written or "
                + "changed without Portcullis' key, and the sealer will not chain it");
      }
      if (oldestPending == null || e.time().isBefore(oldestPending)) {
        oldestPending = e.time();
      }
      pending++;
    }

    /**
     * Where the chain starts: at the genesis hash, or, once old events have been pruned under a
     * retention setting, at the signed checkpoint just before the oldest event that is kept.
     */
    private void anchor(AuditEvent first) {
      expectedSeq = 1;
      prevHash = AuditChain.GENESIS_HASH;
      lastCheckpointSeq = 0;
      AuditCheckpoint anchor = checkpoints.get(first.seq() - 1);
      if (first.seq() > 1
          && properties.retention() != null
          && anchor != null
          && anchor.hash().equals(first.prevHash())) {
        checkSignature(anchor);
        expectedSeq = first.seq();
        prevHash = anchor.hash();
        lastCheckpointSeq = anchor.seq();
        checkpointsChecked++;
      }
      Map.Entry<Long, AuditCheckpoint> stray = checkpoints.lowerEntry(expectedSeq - 1);
      if (stray != null) {
        throw new BadSeq(
            stray.getKey(),
            "checkpoint " + stray.getKey() + " signs an event that is not in the trail");
      }
    }

    private void checkCheckpoint(AuditCheckpoint c, AuditEvent e) {
      if (!c.hash().equals(e.hash())) {
        throw new BadSeq(
            c.seq(), "checkpoint " + c.seq() + " does not match event " + c.seq() + "'s hash");
      }
      checkSignature(c);
    }

    private void checkSignature(AuditCheckpoint c) {
      if (!keys.keyId().equals(c.keyId())) {
        throw new BadSeq(
            c.seq(),
            "checkpoint "
                + c.seq()
                + " names key "
                + c.keyId()
                + ", not the configured "
                + keys.keyId());
      }
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(c.signature());
      } catch (IllegalArgumentException notBase64) {
        throw new BadSeq(c.seq(), "checkpoint " + c.seq() + " has a signature that is not base64");
      }
      if (!AuditChain.verifySignature(
          keys.publicKey(), AuditChain.checkpointMessage(c.seq(), c.hash()), signature)) {
        throw new BadSeq(c.seq(), "checkpoint " + c.seq() + " has an invalid signature");
      }
    }

    /** What can only be judged once every event was seen: the ends of the chain. */
    BadSeq finish(Head end) {
      long lastSeq = expectedSeq < 0 ? 0 : expectedSeq - 1;
      if (lastSeq < start.lastSeq()) {
        return new BadSeq(
            lastSeq + 1,
            "events "
                + (lastSeq + 1)
                + " to "
                + start.lastSeq()
                + " are missing: the head says the trail ends at "
                + start.lastSeq());
      }
      if (start.lastSeq() > 0 && !start.lastHash().equals(headHashSeen)) {
        return new BadSeq(
            start.lastSeq(), "the head's hash is not event " + start.lastSeq() + "'s hash");
      }
      if (lastSeq > end.lastSeq()) {
        return new BadSeq(
            end.lastSeq() + 1,
            "event "
                + (end.lastSeq() + 1)
                + " lies beyond the head of the chain ("
                + end.lastSeq()
                + ")");
      }
      Map.Entry<Long, AuditCheckpoint> orphan = checkpoints.higherEntry(lastSeq);
      if (orphan != null) {
        return new BadSeq(
            orphan.getKey(),
            "checkpoint " + orphan.getKey() + " signs an event that is not in the trail");
      }
      return null;
    }

    AuditVerification result(BadSeq bad) {
      long lastSeq = expectedSeq < 0 ? 0 : expectedSeq - 1;
      if (bad == null) {
        return new AuditVerification(
            true,
            eventsChecked,
            checkpointsChecked,
            null,
            null,
            lastSeq,
            prevHash == null ? AuditChain.GENESIS_HASH : prevHash,
            pending,
            oldestPending,
            null);
      }
      return new AuditVerification(
          false,
          eventsChecked,
          checkpointsChecked,
          bad.seq,
          bad.getMessage(),
          lastSeq,
          prevHash,
          pending,
          oldestPending,
          bad.entry);
    }
  }
}
