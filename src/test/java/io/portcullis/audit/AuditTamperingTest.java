package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.PortcullisTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Someone with write access to the database changes the trail with plain SQL; the verifier names
 * the first sequence number at fault. The trail: events 1 to 10, signed at 5 and at 10.
 */
@PortcullisTest
class AuditTamperingTest {

  @Autowired AuditTrail trail;
  @Autowired AuditSealer sealer;
  @Autowired AuditVerifier verifier;
  @Autowired AuditKeys keys;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;

  @BeforeEach
  void tenSignedEvents() {
    AuditTables.reset(jdbc);
    for (int i = 1; i <= 10; i++) {
      trail.record(
          AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED)
              .subject("user-" + i)
              .resource("staging-db-admin")
              .request("request-" + i, "pi-" + i)
              .detail("decision", "APPROVE"));
      if (i == 5 || i == 10) {
        trail.checkpointNow();
      }
    }
    assertThat(AuditTables.pending(jdbc)).as("checkpointNow seals what it signs").isZero();
  }

  @Test
  void anUntouchedTrailVerifies() {
    AuditVerification result = verifier.verify();
    assertThat(result.valid()).as(result.reason()).isTrue();
    assertThat(result.eventsChecked()).isEqualTo(10);
    assertThat(result.checkpointsChecked()).isEqualTo(2);
    assertThat(result.firstBadSeq()).isNull();
    assertThat(result.lastSeq()).isEqualTo(10);
    assertThat(result.lastHash())
        .isEqualTo(jdbc.queryForObject("select last_hash from audit_head", String.class));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "actor = 'mallory'",
        "action = 'access.revoked'",
        "subject = 'mallory'",
        "resource = 'prod-db-readonly'",
        "request_id = 'request-x'",
        "process_instance_id = null",
        "details = '{\"decision\":\"DENY\"}'",
        "event_time = event_time + interval '1' second",
        "event_time = event_time + interval '0.0001' second",
        "hash = '" + "ab" + "'",
        "mac = '00'"
      })
  void anUpdatedColumnIsFoundAtItsEvent(String change) {
    jdbc.update("update audit_event set " + change + " where seq = 7");
    assertBad(7, "event 7");
  }

  @Test
  void anUpdatedPrevHashBreaksTheLink() {
    jdbc.update("update audit_event set prev_hash = ? where seq = 7", "f".repeat(64));
    assertBad(7, "does not follow event 6");
  }

  @Test
  void aDeletedEventIsMissing() {
    jdbc.update("delete from audit_event where seq = 6");
    assertBad(6, "event 6 is missing");
  }

  @Test
  void aDeletedFirstEventIsMissing() {
    jdbc.update("delete from audit_event where seq = 1");
    assertBad(1, "event 1 is missing");
  }

  @Test
  void aDeletedLastEventIsMissingFromTheHead() {
    jdbc.update("delete from audit_event where seq = 10");
    assertBad(10, "missing");
  }

  @Test
  void aTruncatedTailWithARewoundHeadIsBetrayedByItsCheckpoint() {
    String hash9 = jdbc.queryForObject("select hash from audit_event where seq = 9", String.class);
    jdbc.update("delete from audit_event where seq = 10");
    jdbc.update("update audit_head set last_seq = 9, last_hash = ?", hash9);
    assertBad(10, "checkpoint 10 signs an event that is not in the trail");
  }

  @Test
  void aForgedEventWithoutTheKeyHasABadMac() {
    forgeEvent(11, "mallory", new byte[32]);
    assertBad(11, "invalid MAC");
  }

  @Test
  void aForgedEventBeyondTheHeadIsFound() {
    forgeEvent(11, "mallory", Base64.getDecoder().decode(demoHmacKey()));
    jdbc.update(
        "update audit_head set last_seq = 10, last_hash = (select hash from audit_event where seq = 10)");
    assertBad(11, "beyond the head");
  }

  @Test
  void aRebuiltChainWithoutTheKeyFailsAtTheFirstRewrittenEvent() {
    jdbc.update("update audit_event set actor = 'mallory' where seq = 7");
    rechainFrom(7, new byte[32]);
    assertBad(7, "invalid MAC");
  }

  @Test
  void aRebuiltChainWithTheMacKeyButNotTheSigningKeyFailsAtTheNextCheckpoint() {
    jdbc.update("update audit_event set actor = 'mallory' where seq = 7");
    rechainFrom(7, Base64.getDecoder().decode(demoHmacKey()));
    assertBad(10, "checkpoint 10 does not match");
  }

  @Test
  void swappedEventsAreFoundAtTheFirstOfThem() {
    Map<String, Object> three = jdbc.queryForMap("select * from audit_event where seq = 3");
    Map<String, Object> eight = jdbc.queryForMap("select * from audit_event where seq = 8");
    overwrite(3, eight);
    overwrite(8, three);
    assertBad(3, "event 3");
  }

  @Test
  void swappedContentKeepingTheChainColumnsIsFoundToo() {
    jdbc.update(
        "update audit_event set subject = case seq when 3 then 'user-8' else 'user-3' end where seq in (3, 8)");
    assertBad(3, "event 3 was changed");
  }

  @Test
  void aDeletedPeriodicCheckpointIsFound() {
    AuditTables.reset(jdbc);
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              for (int i = 0; i < 2100; i++) {
                trail.record(
                    AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED)
                        .subject("user-" + i));
              }
            });
    sealer.seal();
    assertThat(verifier.verify().valid()).isTrue();
    jdbc.update("delete from audit_checkpoint where seq = 1000");
    assertBad(1000, "no signed checkpoint covers events 1 to 1000");
  }

  @Test
  void aCheckpointWithAnotherHashIsFound() {
    jdbc.update(
        "update audit_checkpoint set hash = (select hash from audit_event where seq = 4) where seq = 5");
    assertBad(5, "checkpoint 5 does not match");
  }

  @Test
  void aCheckpointWithAnAlteredSignatureIsFound() {
    String signature =
        jdbc.queryForObject("select signature from audit_checkpoint where seq = 5", String.class);
    byte[] bytes = Base64.getDecoder().decode(signature);
    bytes[10] ^= 1;
    jdbc.update(
        "update audit_checkpoint set signature = ? where seq = 5",
        Base64.getEncoder().encodeToString(bytes));
    assertBad(5, "checkpoint 5 has an invalid signature");
  }

  @Test
  void aCheckpointSignedWithAnotherKeyIsFound() throws Exception {
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String hash =
        jdbc.queryForObject("select hash from audit_checkpoint where seq = 5", String.class);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(other.getPrivate());
    signer.update(AuditChain.checkpointMessage(5, hash));
    jdbc.update(
        "update audit_checkpoint set signature = ? where seq = 5",
        Base64.getEncoder().encodeToString(signer.sign()));
    assertBad(5, "checkpoint 5 has an invalid signature");

    jdbc.update(
        "update audit_checkpoint set key_id = ? where seq = 5",
        AuditKeys.keyIdOf(other.getPublic()));
    assertBad(5, "checkpoint 5 names key " + AuditKeys.keyIdOf(other.getPublic()));
  }

  @Test
  void aDeletedTimedCheckpointBeforeTheLastOneIsNotAFault() {
    // timed checkpoints are extra anchors: only a stretch of checkpoint-every unsigned events is a
    // fault
    jdbc.update("delete from audit_checkpoint where seq = 5");
    assertThat(verifier.verify().valid()).isTrue();
  }

  @Test
  void aPendingEntryChangedBeforeItIsSealedIsFoundAndNeverSealed() {
    AuditEvent pending =
        trail.record(
            AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED)
                .subject("user-11")
                .detail("decision", "DENY"));
    jdbc.update(
        "update audit_event set details = '{\"decision\":\"APPROVE\"}' where id = ?",
        pending.entryId());
    assertBadEntry(pending.entryId());

    trail.record(AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED).subject("user-12"));
    assertThat(sealer.seal())
        .as("the sealer chains the good entry, never the changed one")
        .isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "select seq from audit_event where id = ?", Long.class, pending.entryId()))
        .isNull();
    assertThat(jdbc.queryForObject("select subject from audit_event where seq = 11", String.class))
        .isEqualTo("user-12");
    assertBadEntry(pending.entryId(), 11);
  }

  @Test
  void aPendingEntryForgedWithoutTheKeyIsFoundAndNeverSealed() {
    jdbc.update(
        "insert into audit_event (event_time, actor, action, subject, details, entry_mac) values (?, 'mallory', ?, 'mallory', '{}', ?)",
        AuditTrail.utc(Instant.parse("2026-03-02T09:00:00.000Z")),
        AuditAction.ACCESS_GRANTED,
        "ab".repeat(32));
    long id = jdbc.queryForObject("select max(id) from audit_event", Long.class);
    // a forger who knows the algorithm (it is public) but not the key: a well-formed entry MAC with
    // their own
    AuditEvent forged =
        jdbc.queryForObject(
            "select " + AuditRows.READ_COLUMNS + " from audit_event where id = ?",
            AuditRows::event,
            id);
    jdbc.update(
        "update audit_event set entry_mac = ? where id = ?",
        hmac(new byte[32], AuditChain.entryMacText(forged.entryLine())),
        id);
    assertBadEntry(id);
    assertThat(sealer.seal()).isZero();
    assertBadEntry(id);
  }

  @Test
  void aCopiedPendingEntryIsFoundAndNeverSealed() {
    AuditEvent original =
        trail.record(AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED).subject("user-11"));
    jdbc.update(
        "insert into audit_event (event_time, actor, action, subject, resource, request_id, process_instance_id, details, entry_mac) "
            + "select event_time, actor, action, subject, resource, request_id, process_instance_id, details, entry_mac from audit_event where id = ?",
        original.entryId());
    long copy = jdbc.queryForObject("select max(id) from audit_event", Long.class);
    assertBadEntry(copy);
    assertThat(sealer.seal()).as("the original only").isEqualTo(1);
    assertThat(jdbc.queryForObject("select id from audit_event where seq = 11", Long.class))
        .isEqualTo(original.entryId());
    assertBadEntry(copy, 11);
  }

  @Test
  void pendingEntriesThatCheckOutAreNotAFault() {
    trail.record(AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED).subject("user-11"));
    trail.record(AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED).subject("user-12"));
    AuditVerification result = verifier.verify();
    assertThat(result.valid()).as(result.reason()).isTrue();
    assertThat(result.eventsChecked()).isEqualTo(10);
    assertThat(result.eventsPending()).isEqualTo(2);
  }

  private void assertBadEntry(long entryId) {
    assertBadEntry(entryId, 10);
  }

  private void assertBadEntry(long entryId, long sealed) {
    AuditVerification result = verifier.verify();
    assertThat(result.valid()).isFalse();
    assertThat(result.firstBadSeq()).as(result.reason()).isNull();
    assertThat(result.firstBadEntry()).isEqualTo(entryId);
    assertThat(result.reason())
        .contains("entry " + entryId + ", not sealed yet, has an invalid entry MAC");
    assertThat(result.eventsChecked()).as("the sealed chain checked out first").isEqualTo(sealed);
  }

  private void assertBad(long seq, String reason) {
    AuditVerification result = verifier.verify();
    assertThat(result.valid()).isFalse();
    assertThat(result.firstBadSeq()).as(result.reason()).isEqualTo(seq);
    assertThat(result.reason()).contains(reason);
  }

  /**
   * What someone who knows the algorithm (it is public) writes: a correct chain hash, and a MAC
   * with their key.
   */
  private void forgeEvent(long seq, String actor, byte[] macKey) {
    String prev =
        jdbc.queryForObject("select hash from audit_event where seq = ?", String.class, seq - 1);
    Instant time = Instant.parse("2026-03-02T09:00:00.000Z");
    String line =
        AuditChain.canonicalLine(
            seq,
            time,
            actor,
            AuditAction.ACCESS_GRANTED,
            actor,
            "prod-db-readonly",
            null,
            null,
            "{}");
    String hash = AuditChain.hash(prev, line);
    jdbc.update(
        "insert into audit_event ("
            + AuditRows.EVENT_COLUMNS
            + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        seq,
        AuditTrail.utc(time),
        actor,
        AuditAction.ACCESS_GRANTED,
        actor,
        "prod-db-readonly",
        null,
        null,
        "{}",
        prev,
        hash,
        hmac(macKey, hash));
    jdbc.update("update audit_head set last_seq = ?, last_hash = ?", seq, hash);
  }

  /**
   * Recomputes every hash, MAC and entry MAC from {@code seq} on, and the head, as a careful forger
   * would.
   */
  private void rechainFrom(long seq, byte[] macKey) {
    String prev =
        jdbc.queryForObject("select hash from audit_event where seq = ?", String.class, seq - 1);
    for (AuditEvent e :
        jdbc.query(
            "select " + AuditRows.READ_COLUMNS + " from audit_event where seq >= ? order by seq",
            AuditRows::event,
            seq)) {
      String hash = AuditChain.hash(prev, e.canonicalLine());
      jdbc.update(
          "update audit_event set prev_hash = ?, hash = ?, mac = ?, entry_mac = ? where seq = ?",
          prev,
          hash,
          hmac(macKey, hash),
          hmac(macKey, AuditChain.entryMacText(e.entryLine())),
          e.seq());
      prev = hash;
    }
    jdbc.update("update audit_head set last_hash = ?", prev);
  }

  private void overwrite(long seq, Map<String, Object> row) {
    jdbc.update(
        "update audit_event set event_time = ?, actor = ?, action = ?, subject = ?, resource = ?, request_id = ?, "
            + "process_instance_id = ?, details = ?, prev_hash = ?, hash = ?, mac = ? where seq = ?",
        row.get("EVENT_TIME"),
        row.get("ACTOR"),
        row.get("ACTION"),
        row.get("SUBJECT"),
        row.get("RESOURCE"),
        row.get("REQUEST_ID"),
        row.get("PROCESS_INSTANCE_ID"),
        row.get("DETAILS"),
        row.get("PREV_HASH"),
        row.get("HASH"),
        row.get("MAC"),
        seq);
  }

  private static String hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The demo profile's key: a test may use it, as an insider who stole it would. */
  private static String demoHmacKey() {
    return "ZZKJOjrssPTEDTVF910CADnRKXZA6XO/nJLIT0rA5WQ=";
  }
}
