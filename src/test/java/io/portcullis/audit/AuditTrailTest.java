package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portcullis.support.PortcullisTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Appending to the trail: transactions, order under concurrency, checkpoints, the SIEM copy. */
@PortcullisTest
class AuditTrailTest {

  static final Instant T0 = Instant.parse("2026-03-02T09:00:00.123456Z");

  @Autowired AuditTrail trail;
  @Autowired AuditSealer sealer;
  @Autowired AuditVerifier verifier;
  @Autowired AuditKeys keys;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;
  @Autowired ManagementService management;
  @Autowired RepositoryService repository;

  TransactionTemplate tx;

  @BeforeEach
  void freshTrail() {
    AuditTables.reset(jdbc);
    tx = new TransactionTemplate(transactions);
  }

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  @Test
  void anEventIsStoredWithItsEntryMacThenSealedWithItsChain() {
    ClockUtil.setCurrentTime(Date.from(T0));
    AuditEvent first = trail.record(requested("alice"));
    AuditEvent second =
        trail.record(
            AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED)
                .subject("alice")
                .resource("staging-db-admin")
                .request("r-1", "pi-1")
                .detail("decision", "APPROVE")
                .detail("stage", 1));

    // recorded: an entry with its own MAC, no place in the chain yet, and the head untouched
    assertThat(first.sealed()).isFalse();
    assertThat(second.entryId()).isGreaterThan(first.entryId());
    assertThat(second.entryMac()).isEqualTo(keys.mac(AuditChain.entryMacText(second.entryLine())));
    assertThat(second.entryLine())
        .isEqualTo(
            "{\"action\":\"access.decided\",\"actor\":\"bob\",\"details\":{\"decision\":\"APPROVE\","
                + "\"stage\":1},\"entry\":"
                + second.entryId()
                + ",\"processInstanceId\":\"pi-1\",\"requestId\":\"r-1\","
                + "\"resource\":\"staging-db-admin\",\"subject\":\"alice\",\"time\":\"2026-03-02T09:00:00.123Z\"}");
    assertThat(AuditTables.headSeq(jdbc)).isZero();
    AuditVerification pending = verifier.verify();
    assertThat(pending)
        .extracting(
            AuditVerification::valid,
            AuditVerification::eventsChecked,
            AuditVerification::eventsPending)
        .containsExactly(true, 0L, 2L);
    assertThat(pending.oldestPendingAt()).isEqualTo(Instant.parse("2026-03-02T09:00:00.123Z"));

    assertThat(sealer.seal()).isEqualTo(2);

    AuditEvent one = stored(1);
    AuditEvent two = stored(2);
    assertThat(one.entryId()).isEqualTo(first.entryId());
    assertThat(one.time()).isEqualTo(Instant.parse("2026-03-02T09:00:00.123Z"));
    assertThat(one.prevHash()).isEqualTo(AuditChain.GENESIS_HASH);
    assertThat(two.entryId()).isEqualTo(second.entryId());
    assertThat(two.prevHash()).isEqualTo(one.hash());
    assertThat(two.details()).isEqualTo("{\"decision\":\"APPROVE\",\"stage\":1}");
    assertThat(two.canonicalLine())
        .isEqualTo(
            "{\"action\":\"access.decided\",\"actor\":\"bob\",\"details\":{\"decision\":\"APPROVE\","
                + "\"stage\":1},\"processInstanceId\":\"pi-1\",\"requestId\":\"r-1\",\"resource\":\"staging-db-admin\",\"seq\":2,"
                + "\"subject\":\"alice\",\"time\":\"2026-03-02T09:00:00.123Z\"}");
    assertThat(two.hash()).isEqualTo(AuditChain.hash(one.hash(), two.canonicalLine()));
    assertThat(two.mac()).isEqualTo(keys.mac(two.hash()));
    assertThat(two.entryMac()).isEqualTo(second.entryMac());
    assertThat(jdbc.queryForMap("select last_seq, last_hash from audit_head"))
        .containsEntry("LAST_SEQ", 2L)
        .containsEntry("LAST_HASH", two.hash());
    assertThat(verifier.verify())
        .extracting(
            AuditVerification::valid,
            AuditVerification::eventsChecked,
            AuditVerification::eventsPending)
        .containsExactly(true, 2L, 0L);
    assertThat(sealer.seal()).as("nothing left to seal").isZero();
  }

  @Test
  void anEventJoinsTheCallersTransactionAndRollsBackWithItLeavingNoGap() {
    trail.record(requested("alice"));

    assertThatThrownBy(
            () ->
                tx.executeWithoutResult(
                    status -> {
                      trail.record(requested("erin"));
                      assertThat(AuditTables.count(jdbc, "audit_event")).isEqualTo(2);
                      throw new IllegalStateException("the process step fails after recording");
                    }))
        .hasMessageContaining("process step fails");
    assertThat(AuditTables.count(jdbc, "audit_event")).isEqualTo(1);
    sealer.seal();
    assertThat(AuditTables.headSeq(jdbc)).isEqualTo(1);

    assertThatThrownBy(
            () ->
                tx.executeWithoutResult(
                    status -> {
                      trail.record(requested("mallory"));
                      throw new IllegalStateException("rolled back again");
                    }))
        .isInstanceOf(IllegalStateException.class);
    tx.executeWithoutResult(status -> trail.record(requested("erin")));
    sealer.seal();

    assertThat(jdbc.queryForList("select subject from audit_event order by seq", String.class))
        .containsExactly("alice", "erin");
    assertThat(jdbc.queryForList("select seq from audit_event order by seq", Long.class))
        .as("no gap")
        .containsExactly(1L, 2L);
    assertThat(verifier.verify().valid()).isTrue();
  }

  @Test
  void theSiemCopyIsWrittenOnlyForSealedEvents() {
    Logger logger = (Logger) LoggerFactory.getLogger(AuditLogLine.LOGGER);
    Level level = logger.getLevel();
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.INFO);
    try {
      tx.executeWithoutResult(
          status -> {
            trail.record(requested("alice").detail("password", "hunter2"));
            assertThat(lines.list).as("nothing before the commit").isEmpty();
          });
      assertThatThrownBy(
              () ->
                  tx.executeWithoutResult(
                      status -> {
                        trail.record(requested("erin"));
                        throw new IllegalStateException("rolled back");
                      }))
          .isInstanceOf(IllegalStateException.class);
      assertThat(lines.list).as("nothing before the seal").isEmpty();
      sealer.seal();
      sealer.seal();
    } finally {
      logger.detachAppender(lines);
      logger.setLevel(level);
    }
    assertThat(lines.list).as("one line, once").hasSize(1);
    String line = lines.list.get(0).getFormattedMessage();
    assertThat(line)
        .startsWith("{")
        .contains(
            "\"seq\":1",
            "\"subject\":\"alice\"",
            "\"action\":\"access.requested\"",
            "\"password\":\"[redacted]\"",
            "\"hash\":\"" + stored(1).hash() + "\"")
        .doesNotContain("hunter2", "erin", "mac");
    assertThat(jdbc.queryForObject("select logged_seq from audit_head", Long.class)).isEqualTo(1);
  }

  @Test
  void secretsInDetailsAreRedactedAndOversizedDetailsRefused() {
    AuditEvent event =
        trail.record(
            requested("alice")
                .details(
                    Map.of(
                        "ldapPassword",
                        "s3cret",
                        "nested",
                        Map.of("apiToken", "abc", "ok", List.of(1, 2)))));
    assertThat(event.details())
        .isEqualTo(
            "{\"ldapPassword\":\"[redacted]\",\"nested\":{\"apiToken\":\"[redacted]\",\"ok\":[1,2]}}");
    assertThatThrownBy(
            () -> trail.record(requested("alice").detail("justification", "x".repeat(9000))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 8000");
    assertThatThrownBy(() -> AuditEvent.Draft.by("alice", "Access Requested"))
        .hasMessageContaining("noun.verb");
    assertThatThrownBy(() -> AuditEvent.Draft.by(" ", AuditAction.ACCESS_REQUESTED))
        .hasMessageContaining("actor");
    assertThat(AuditTables.count(jdbc, "audit_event")).isEqualTo(1);
  }

  @Test
  void concurrentAppendersWhileASealerRunsGetGapFreeSequenceNumbers() throws Exception {
    int threads = 6;
    int each = 150;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    AtomicBoolean appending = new AtomicBoolean(true);
    try {
      // the sealer seals while the appenders append, as it does in production
      Future<Integer> sealing =
          pool.submit(
              () -> {
                int sealed = 0;
                while (appending.get()) {
                  sealed += sealer.seal();
                }
                return sealed;
              });
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String actor = "thread-" + t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    // a third in a transaction of their own, a third in one of the caller's with
                    // other work, a third rolled back
                    int n = i;
                    if (i % 3 == 0) {
                      trail.record(
                          AuditEvent.Draft.by(actor, AuditAction.ACCESS_GRANTED).detail("i", i));
                    } else if (i % 3 == 1) {
                      tx.executeWithoutResult(
                          status -> {
                            trail.record(
                                AuditEvent.Draft.by(actor, AuditAction.ACCESS_GRANTED)
                                    .detail("i", n));
                            jdbc.queryForObject(
                                "select count(*) from audit_checkpoint", Long.class);
                          });
                    } else {
                      tx.executeWithoutResult(
                          status -> {
                            trail.record(
                                AuditEvent.Draft.by(actor, AuditAction.ACCESS_DENIED)
                                    .detail("i", n));
                            status.setRollbackOnly();
                          });
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
      appending.set(false);
      int sealedMeanwhile = sealing.get(2, TimeUnit.MINUTES);
      int sealedAfter = sealer.seal();
      assertThat(sealedMeanwhile + sealedAfter)
          .as("each committed event sealed once")
          .isEqualTo(threads * each * 2 / 3);
    } finally {
      pool.shutdownNow();
    }
    int committed = threads * each * 2 / 3;
    List<Long> seqs = jdbc.queryForList("select seq from audit_event order by seq", Long.class);
    assertThat(seqs).hasSize(committed);
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(i + 1L);
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_event where action = ?",
                Long.class,
                AuditAction.ACCESS_DENIED))
        .as("rolled back")
        .isZero();
    assertThat(AuditTables.headSeq(jdbc)).isEqualTo(committed);
    AuditVerification verification = verifier.verify();
    assertThat(verification.valid()).as(verification.reason()).isTrue();
    assertThat(verification.eventsChecked()).isEqualTo(committed);
    assertThat(verification.eventsPending()).isZero();
  }

  @Test
  void everyThousandthEventIsSignedWhenItIsSealed() {
    tx.executeWithoutResult(
        status -> {
          for (int i = 0; i < 2500; i++) {
            trail.record(
                AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED)
                    .subject("user-" + i));
          }
        });
    sealer.seal();
    List<AuditCheckpoint> checkpoints =
        jdbc.query(
            "select " + AuditRows.CHECKPOINT_COLUMNS + " from audit_checkpoint order by seq",
            AuditRows::checkpoint);
    assertThat(checkpoints).extracting(AuditCheckpoint::seq).containsExactly(1000L, 2000L);
    for (AuditCheckpoint c : checkpoints) {
      assertThat(c.hash())
          .isEqualTo(
              jdbc.queryForObject(
                  "select hash from audit_event where seq = ?", String.class, c.seq()));
      assertThat(c.keyId()).isEqualTo(keys.keyId());
    }
    AuditVerification verification = verifier.verify();
    assertThat(verification.valid()).as(verification.reason()).isTrue();
    assertThat(verification.checkpointsChecked()).isEqualTo(2);
  }

  @Test
  void checkpointNowSignsTheHeadOnce() {
    assertThat(trail.checkpointNow()).isEmpty();
    trail.record(requested("alice"));
    trail.record(requested("erin"));
    AuditCheckpoint signed = trail.checkpointNow().orElseThrow();
    assertThat(signed.seq()).as("it seals what is pending, then signs it").isEqualTo(2);
    assertThat(signed.hash()).isEqualTo(stored(2).hash());
    assertThat(trail.checkpointNow()).contains(signed);
    assertThat(AuditTables.count(jdbc, "audit_checkpoint")).isEqualTo(1);
    assertThat(verifier.verify().checkpointsChecked()).isEqualTo(1);
  }

  @Test
  void theHourlyCheckpointIsATimerInTheModel() {
    assertThat(
            repository
                .createProcessDefinitionQuery()
                .processDefinitionKey("audit-checkpoint")
                .latestVersion()
                .singleResult())
        .isNotNull();
    Job timer =
        management
            .createJobQuery()
            .processDefinitionKey("audit-checkpoint")
            .timers()
            .singleResult();
    assertThat(timer).as("the timer start event's job").isNotNull();
    trail.record(requested("alice"));

    management.executeJob(timer.getId());
    Job signStep =
        management
            .createJobQuery()
            .processDefinitionKey("audit-checkpoint")
            .messages()
            .singleResult();
    management.executeJob(signStep.getId());
    assertThat(jdbc.queryForList("select seq from audit_checkpoint", Long.class))
        .containsExactly(1L);
    Job pruneStep =
        management
            .createJobQuery()
            .processDefinitionKey("audit-checkpoint")
            .messages()
            .singleResult();
    management.executeJob(pruneStep.getId());

    assertThat(
            management.createJobQuery().processDefinitionKey("audit-checkpoint").messages().count())
        .isZero();
    assertThat(AuditTables.count(jdbc, "audit_event"))
        .as("no retention set: nothing pruned")
        .isOne();
    assertThat(
            management.createJobQuery().processDefinitionKey("audit-checkpoint").timers().count())
        .as("the next hour's timer")
        .isOne();
  }

  private AuditEvent stored(long seq) {
    return jdbc.queryForObject(
        "select " + AuditRows.READ_COLUMNS + " from audit_event where seq = ?",
        AuditRows::event,
        seq);
  }

  static AuditEvent.Draft requested(String who) {
    return AuditEvent.Draft.by(who, AuditAction.ACCESS_REQUESTED)
        .subject(who)
        .resource("staging-db-admin");
  }
}
