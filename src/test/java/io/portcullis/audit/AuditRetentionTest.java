package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.PortcullisTest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.sql.DataSource;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pruning under a retention setting keeps a signed checkpoint as the anchor, so what is left still
 * verifies, online and offline. The retention setting is the one thing that differs from the
 * running application, so the services are built here with it, on the application's own database
 * and keys.
 */
@PortcullisTest
class AuditRetentionTest {

  static final Instant T0 = Instant.parse("2025-01-06T09:00:00Z");

  @Autowired AuditTrail trail;
  @Autowired AuditSealer sealer;
  @Autowired AuditKeys keys;
  @Autowired AuditExport export;
  @Autowired AuditVerifier verifierWithoutRetention;
  @Autowired JdbcTemplate jdbc;
  @Autowired DataSource dataSource;
  @Autowired PlatformTransactionManager transactions;

  AuditProperties oneYear = new AuditProperties(null, null, null, 1000, Duration.ofDays(365), null);
  AuditRetention retention;
  AuditVerifier verifier;

  @BeforeEach
  void freshTrail() {
    AuditTables.reset(jdbc);
    AuditTables.databaseRetention(jdbc, oneYear.retention());
    retention = new AuditRetention(jdbc, oneYear, trail);
    verifier = new AuditVerifier(dataSource, transactions, keys, oneYear);
  }

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
    AuditTables.databaseRetention(jdbc, null);
  }

  @Test
  void eventsOlderThanTheRetentionArePrunedUpToASignedCheckpoint(@TempDir Path dir)
      throws Exception {
    append(T0, 2500);
    append(T0.plus(Duration.ofDays(400)), 100);
    at(T0.plus(Duration.ofDays(400)));

    assertThat(retention.prune()).contains(2000L);
    sealer.seal();

    assertThat(jdbc.queryForObject("select min(seq) from audit_event", Long.class)).isEqualTo(2001);
    assertThat(jdbc.queryForList("select seq from audit_checkpoint order by seq", Long.class))
        .containsExactly(2000L);
    AuditEvent pruned =
        jdbc.queryForObject(
            "select " + AuditRows.READ_COLUMNS + " from audit_event where seq = 2601",
            AuditRows::event);
    assertThat(pruned.action()).isEqualTo(AuditAction.AUDIT_PRUNED);
    assertThat(pruned.details()).contains("\"throughSeq\":2000", "\"events\":2000");

    AuditVerification result = verifier.verify();
    assertThat(result.valid()).as(result.reason()).isTrue();
    assertThat(result.eventsChecked()).isEqualTo(601);
    assertThat(result.checkpointsChecked()).isEqualTo(1);
    assertThat(verifierWithoutRetention.verify().firstBadSeq())
        .as("without a retention setting, a cut is a fault")
        .isEqualTo(1);

    Path file = dir.resolve("pruned.jsonl");
    try (OutputStream out = Files.newOutputStream(file)) {
      export.writeJsonl(export.range(null, null), out);
    }
    AuditApiTest.Tool offline =
        AuditApiTest.Tool.run(
            file, Files.writeString(dir.resolve("key.b64"), keys.publicKeyBase64()));
    assertThat(offline.output())
        .startsWith("OK: 601 events, chain head ")
        .contains("1 checkpoints verified")
        .doesNotContain("not signed");
  }

  @Test
  void nothingIsPrunedThatIsNotOldEnoughOrNotBehindACheckpoint() {
    append(T0, 900);
    at(T0.plus(Duration.ofDays(400)));
    assertThat(retention.prune()).as("no checkpoint to cut at").isEmpty();
    append(T0.plus(Duration.ofDays(400)), 200);
    assertThat(retention.prune())
        .as("the checkpoint at 1000 covers events that are not old enough")
        .isEmpty();
    assertThat(
            new AuditRetention(jdbc, new AuditProperties(null, null, null, 1000, null, null), trail)
                .prune())
        .as("no retention set")
        .isEmpty();
    assertThat(AuditTables.count(jdbc, "audit_event")).isEqualTo(1100);
  }

  @Test
  void aRemovedAnchorIsAFault() {
    append(T0, 2100);
    at(T0.plus(Duration.ofDays(400)));
    append(T0.plus(Duration.ofDays(400)), 10);
    assertThat(retention.prune()).contains(2000L);
    jdbc.update("delete from audit_checkpoint where seq = 2000");
    AuditVerification result = verifier.verify();
    assertThat(result.firstBadSeq()).isEqualTo(1);
    assertThat(result.reason()).contains("event 1 is missing");
  }

  private void append(Instant time, int events) {
    at(time);
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              for (int i = 0; i < events; i++) {
                trail.record(
                    AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED)
                        .subject("user-" + i));
              }
            });
    sealer.seal();
  }

  private static void at(Instant time) {
    ClockUtil.setCurrentTime(Date.from(time));
  }
}
