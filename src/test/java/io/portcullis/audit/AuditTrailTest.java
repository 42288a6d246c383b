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
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.impl.util.ClockUtil;
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
  void anEventIsStoredWithItsChainAndTheEngineClock() {
    ClockUtil.setCurrentTime(Date.from(T0));
    AuditEvent first = trail.record(requested("alice"));
    AuditEvent second = trail.record(AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED).subject("alice")
        .resource("staging-db-admin").request("r-1", "pi-1").detail("decision", "APPROVE").detail("stage", 1));

    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.time()).isEqualTo(Instant.parse("2026-03-02T09:00:00.123Z"));
    assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS_HASH);
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(second.details()).isEqualTo("{\"decision\":\"APPROVE\",\"stage\":1}");
    assertThat(second.canonicalLine()).isEqualTo("{\"action\":\"access.decided\",\"actor\":\"bob\",\"details\":{\"decision\":\"APPROVE\","
        + "\"stage\":1},\"processInstanceId\":\"pi-1\",\"requestId\":\"r-1\",\"resource\":\"staging-db-admin\",\"seq\":2,"
        + "\"subject\":\"alice\",\"time\":\"2026-03-02T09:00:00.123Z\"}");
    assertThat(second.hash()).isEqualTo(AuditChain.hash(first.hash(), second.canonicalLine()));
    assertThat(second.mac()).isEqualTo(keys.mac(second.hash()));

    AuditEvent stored = jdbc.queryForObject("select " + AuditRows.EVENT_COLUMNS + " from audit_event where seq = 2", AuditRows::event);
    assertThat(stored).isEqualTo(second);
    assertThat(jdbc.queryForMap("select last_seq, last_hash from audit_head"))
        .containsEntry("LAST_SEQ", 2L).containsEntry("LAST_HASH", second.hash());
    assertThat(verifier.verify()).extracting(AuditVerification::valid, AuditVerification::eventsChecked).containsExactly(true, 2L);
  }

  @Test
  void anEventJoinsTheCallersTransactionAndRollsBackWithIt() {
    trail.record(requested("alice"));
    String headBefore = jdbc.queryForObject("select last_hash from audit_head", String.class);

    assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
      trail.record(requested("erin"));
      assertThat(AuditTables.count(jdbc, "audit_event")).isEqualTo(2);
      throw new IllegalStateException("the process step fails after recording");
    })).hasMessageContaining("process step fails");

    assertThat(AuditTables.count(jdbc, "audit_event")).isEqualTo(1);
    assertThat(AuditTables.headSeq(jdbc)).isEqualTo(1);
    assertThat(jdbc.queryForObject("select last_hash from audit_head", String.class)).isEqualTo(headBefore);

    tx.executeWithoutResult(status -> trail.record(requested("erin")));
    assertThat(jdbc.queryForList("select subject from audit_event order by seq", String.class)).containsExactly("alice", "erin");
    assertThat(verifier.verify().valid()).isTrue();
  }

  @Test
  void theSiemCopyIsWrittenOnlyForCommittedEvents() {
    Logger logger = (Logger) LoggerFactory.getLogger(AuditLogLine.LOGGER);
    Level level = logger.getLevel();
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.INFO);
    try {
      tx.executeWithoutResult(status -> {
        trail.record(requested("alice").detail("password", "hunter2"));
        assertThat(lines.list).as("nothing before the commit").isEmpty();
      });
      assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
        trail.record(requested("erin"));
        throw new IllegalStateException("rolled back");
      })).isInstanceOf(IllegalStateException.class);
    } finally {
      logger.detachAppender(lines);
      logger.setLevel(level);
    }
    assertThat(lines.list).hasSize(1);
    String line = lines.list.get(0).getFormattedMessage();
    assertThat(line).startsWith("{").contains("\"seq\":1", "\"subject\":\"alice\"", "\"action\":\"access.requested\"",
        "\"password\":\"[redacted]\"").doesNotContain("hunter2", "erin", "mac");
  }

  @Test
  void secretsInDetailsAreRedactedAndOversizedDetailsRefused() {
    AuditEvent event = trail.record(requested("alice").details(Map.of("ldapPassword", "s3cret", "nested",
        Map.of("apiToken", "abc", "ok", List.of(1, 2)))));
    assertThat(event.details()).isEqualTo("{\"ldapPassword\":\"[redacted]\",\"nested\":{\"apiToken\":\"[redacted]\",\"ok\":[1,2]}}");
    assertThatThrownBy(() -> trail.record(requested("alice").detail("justification", "x".repeat(9000))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 8000");
    assertThatThrownBy(() -> AuditEvent.Draft.by("alice", "Access Requested")).hasMessageContaining("noun.verb");
    assertThatThrownBy(() -> AuditEvent.Draft.by(" ", AuditAction.ACCESS_REQUESTED)).hasMessageContaining("actor");
    assertThat(AuditTables.count(jdbc, "audit_event")).isEqualTo(1);
  }

  @Test
  void concurrentAppendersGetGapFreeSequenceNumbers() throws Exception {
    int threads = 6;
    int each = 150;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String actor = "thread-" + t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            // half in a transaction of their own, half in one of the caller's with other work in it
            if (i % 2 == 0) {
              trail.record(AuditEvent.Draft.by(actor, AuditAction.ACCESS_GRANTED).detail("i", i));
            } else {
              int n = i;
              tx.executeWithoutResult(status -> {
                trail.record(AuditEvent.Draft.by(actor, AuditAction.ACCESS_GRANTED).detail("i", n));
                jdbc.queryForObject("select count(*) from audit_checkpoint", Long.class);
              });
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Long> seqs = jdbc.queryForList("select seq from audit_event order by seq", Long.class);
    assertThat(seqs).hasSize(threads * each);
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(i + 1L);
    }
    assertThat(AuditTables.headSeq(jdbc)).isEqualTo(threads * each);
    AuditVerification verification = verifier.verify();
    assertThat(verification.valid()).as(verification.reason()).isTrue();
    assertThat(verification.eventsChecked()).isEqualTo(threads * each);
  }

  @Test
  void everyThousandthEventIsSignedInItsOwnTransaction() {
    tx.executeWithoutResult(status -> {
      for (int i = 0; i < 2500; i++) {
        trail.record(AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED).subject("user-" + i));
      }
    });
    List<AuditCheckpoint> checkpoints = jdbc.query("select " + AuditRows.CHECKPOINT_COLUMNS + " from audit_checkpoint order by seq",
        AuditRows::checkpoint);
    assertThat(checkpoints).extracting(AuditCheckpoint::seq).containsExactly(1000L, 2000L);
    for (AuditCheckpoint c : checkpoints) {
      assertThat(c.hash()).isEqualTo(jdbc.queryForObject("select hash from audit_event where seq = ?", String.class, c.seq()));
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
    AuditEvent last = trail.record(requested("erin"));
    AuditCheckpoint signed = trail.checkpointNow().orElseThrow();
    assertThat(signed.seq()).isEqualTo(2);
    assertThat(signed.hash()).isEqualTo(last.hash());
    assertThat(trail.checkpointNow()).contains(signed);
    assertThat(AuditTables.count(jdbc, "audit_checkpoint")).isEqualTo(1);
    assertThat(verifier.verify().checkpointsChecked()).isEqualTo(1);
  }

  @Test
  void theHourlyCheckpointIsATimerInTheModel() {
    assertThat(repository.createProcessDefinitionQuery().processDefinitionKey("audit-checkpoint").latestVersion().singleResult())
        .isNotNull();
    Job timer = management.createJobQuery().processDefinitionKey("audit-checkpoint").timers().singleResult();
    assertThat(timer).as("the timer start event's job").isNotNull();
    trail.record(requested("alice"));

    management.executeJob(timer.getId());
    Job signStep = management.createJobQuery().processDefinitionKey("audit-checkpoint").messages().singleResult();
    management.executeJob(signStep.getId());
    assertThat(jdbc.queryForList("select seq from audit_checkpoint", Long.class)).containsExactly(1L);
    Job pruneStep = management.createJobQuery().processDefinitionKey("audit-checkpoint").messages().singleResult();
    management.executeJob(pruneStep.getId());

    assertThat(management.createJobQuery().processDefinitionKey("audit-checkpoint").messages().count()).isZero();
    assertThat(AuditTables.count(jdbc, "audit_event")).as("no retention set: nothing pruned").isOne();
    assertThat(management.createJobQuery().processDefinitionKey("audit-checkpoint").timers().count())
        .as("the next hour's timer").isOne();
  }

  static AuditEvent.Draft requested(String who) {
    return AuditEvent.Draft.by(who, AuditAction.ACCESS_REQUESTED).subject(who).resource("staging-db-admin");
  }
}
