package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.portcullis.support.PortcullisTest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sealer: its loop's delay, a restart after a crash at each point of a seal, two sealers at
 * once, and refusals that outlive their rolled-back transaction without a second connection.
 * Another node (or a restarted process) is played by another {@link AuditSealer} on the same
 * database and keys.
 */
@PortcullisTest
class AuditSealingTest {

  @Autowired AuditTrail trail;
  @Autowired AuditSealer sealer;
  @Autowired AuditVerifier verifier;
  @Autowired AuditExport export;
  @Autowired AuditKeys keys;
  @Autowired AuditProperties properties;
  @Autowired JdbcTemplate jdbc;
  @Autowired DataSource dataSource;
  @Autowired PlatformTransactionManager transactions;

  TransactionTemplate tx;

  @BeforeEach
  void freshTrail() {
    AuditTables.reset(jdbc);
    tx = new TransactionTemplate(transactions);
  }

  @Test
  void theLoopSealsEachCommittedEventWithinItsBound() {
    Duration bound =
        Duration.ofSeconds(
            5); // the interval (100 ms) and one round, with room for a machine shared by many
    sealer.resetDelays();
    sealer.start();
    try {
      for (int i = 0; i < 20; i++) {
        AuditEvent e = trail.record(AuditTrailTest.requested("user-" + i));
        await()
            .atMost(bound)
            .until(
                () ->
                    jdbc.queryForObject(
                            "select seq from audit_event where id = ?", Long.class, e.entryId())
                        != null);
      }
    } finally {
      sealer.stop();
    }
    AuditSealer.SealingDelays.Summary delays = sealer.delays();
    System.out.printf(
        "audit sealing delay, loop every %s, 20 events one at a time: p50 %d ms, p99 %d ms, max %d ms%n",
        properties.sealer().interval(), delays.p50Millis(), delays.p99Millis(), delays.maxMillis());
    assertThat(delays.events()).isEqualTo(20);
    assertThat(delays.maxMillis()).isLessThanOrEqualTo(bound.toMillis());
    assertThat(sealer.isRunning()).isFalse();
    AuditVerification verification = verifier.verify();
    assertThat(verification.valid()).as(verification.reason()).isTrue();
    assertThat(verification.eventsChecked()).isEqualTo(20);
  }

  @Test
  void aBacklogIsSealedEntryByEntryOnThePrimaryKey() {
    tx.executeWithoutResult(
        status -> {
          for (int i = 0; i < 50; i++) {
            trail.record(AuditTrailTest.requested("user-" + i));
          }
        });
    assertThat(plan(AuditSealer.SEAL_ENTRY))
        .containsIgnoringCase("primary_key")
        .doesNotContainIgnoringCase("audit_event_seq_unique");

    // the cause, as the sealer had it: asked for "seq is null" too, H2 walks every unsealed entry
    // under null
    assertThat(plan(AuditSealer.SEAL_ENTRY + " and seq is null"))
        .containsIgnoringCase("audit_event_seq_unique");
  }

  private String plan(String update) {
    return jdbc.queryForObject("explain " + update.replace("?", "'1'"), String.class);
  }

  @Test
  void entriesCommittedBeforeACrashAreSealedOnceAfterTheRestart() {
    // the process stops after three steps committed their events and before any seal
    for (int i = 1; i <= 3; i++) {
      trail.record(AuditTrailTest.requested("user-" + i));
    }
    // it stops again in the middle of a seal: that transaction never commits
    tx.executeWithoutResult(
        status -> {
          sealer.checkpointHead();
          status.setRollbackOnly();
        });
    assertThat(AuditTables.pending(jdbc)).isEqualTo(3);
    assertThat(AuditTables.count(jdbc, "audit_checkpoint")).isZero();

    // started again: a new sealer seals them, each once, in order
    Lines lines = new Lines();
    assertThat(restartedSealer(lines).seal()).isEqualTo(3);
    assertThat(jdbc.queryForList("select subject from audit_event order by seq", String.class))
        .containsExactly("user-1", "user-2", "user-3");
    assertThat(jdbc.queryForList("select seq from audit_event order by seq", Long.class))
        .containsExactly(1L, 2L, 3L);
    assertThat(lines.seqs()).containsExactly(1L, 2L, 3L);
    assertThat(restartedSealer(lines).seal()).as("nothing sealed twice").isZero();
    assertThat(lines.seqs()).as("no line written twice").containsExactly(1L, 2L, 3L);
    assertThat(verifier.verify())
        .extracting(
            AuditVerification::valid,
            AuditVerification::eventsChecked,
            AuditVerification::eventsPending)
        .containsExactly(true, 3L, 0L);
  }

  @Test
  void aCrashWhileWritingTheSiemCopyIsMadeGoodAfterTheRestartWithoutContradiction() {
    for (int i = 1; i <= 5; i++) {
      trail.record(AuditTrailTest.requested("user-" + i));
    }
    // the seal commits; the process dies after writing two of the five lines
    Lines before = new Lines();
    AuditLogLine dying =
        new AuditLogLine() {
          int written;

          @Override
          boolean enabled() {
            return true;
          }

          @Override
          void write(AuditEvent e) {
            if (written++ == 2) {
              throw new IllegalStateException("killed");
            }
            before.write(e);
          }
        };
    assertThatThrownBy(() -> restartedSealer(dying).seal()).hasMessage("killed");
    assertThat(AuditTables.headSeq(jdbc)).isEqualTo(5);
    assertThat(before.seqs()).containsExactly(1L, 2L);

    Lines after = new Lines();
    assertThat(restartedSealer(after).seal()).isZero();
    assertThat(after.seqs())
        .as("what the crash left out, and what it may have written already")
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    // the copy as a SIEM holds it: two lines for seq 1 and 2, identical; every line as the database
    // has it
    Map<Long, String> bySeq = new HashMap<>();
    for (Lines copy : List.of(before, after)) {
      copy.events.forEach(
          e ->
              assertThat(bySeq.computeIfAbsent(e.seq(), s -> AuditExport.eventLine(e)))
                  .as("seq %d", e.seq())
                  .isEqualTo(AuditExport.eventLine(e)));
    }
    for (long seq = 1; seq <= 5; seq++) {
      AuditEvent stored =
          jdbc.queryForObject(
              "select " + AuditRows.READ_COLUMNS + " from audit_event where seq = ?",
              AuditRows::event,
              seq);
      assertThat(bySeq.get(seq)).isEqualTo(AuditExport.eventLine(stored));
    }
  }

  @Test
  void theOfflineVerifierTellsACrashsRepeatedLinesFromAChangedOne(@TempDir Path dir)
      throws Exception {
    for (int i = 1; i <= 6; i++) {
      trail.record(AuditTrailTest.requested("user-" + i));
    }
    Lines copy = new Lines();
    restartedSealer(copy).seal();
    trail.record(AuditTrailTest.requested("user-7"));
    restartedSealer(copy).seal(); // seq 7: in the copy, not in the export below
    List<String> log = new ArrayList<>();
    log.add("2026-03-02T09:00:00.000Z  INFO 1 --- [audit-sealer] portcullis.audit : starting");
    for (AuditEvent e : copy.events) {
      log.add(
          "2026-03-02T09:00:00.000Z  INFO 1 --- [audit-sealer] portcullis.audit : "
              + AuditExport.eventLine(e));
    }
    log.add(3, log.get(1)); // seq 1 again, as a restart after a crash writes it
    log.add(
        "{\"@timestamp\":\"2026-03-02T09:00:01Z\",\"message\":"
            + CanonicalJson.write(AuditExport.eventLine(copy.events.get(1)))
            + "}");
    Path logFile = Files.write(dir.resolve("siem.log"), log);
    Path export = dir.resolve("export.jsonl");
    try (OutputStream out = Files.newOutputStream(export)) {
      this.export.writeJsonl(this.export.range(null, 6L), out);
    }
    Path key = Files.writeString(dir.resolve("key.b64"), keys.publicKeyBase64());

    AuditApiTest.Tool ok = AuditApiTest.Tool.run(export, key, "--log", logFile.toString());
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(ok.output())
        .contains(
            "OK: log copy " + logFile + ": 6 lines agree with the export",
            "2 lines repeat an earlier line exactly",
            "1 lines are for events after the export's last seq (6, from 7)");

    List<String> changed = new ArrayList<>(log);
    changed.set(5, changed.get(5).replace("\"subject\":\"user-4\"", "\"subject\":\"mallory\""));
    assertThat(changed.get(5)).contains("mallory");
    AuditApiTest.Tool bad =
        AuditApiTest.Tool.run(
            export, key, "--log", Files.write(dir.resolve("changed.log"), changed).toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.output())
        .contains("FAILED at seq 4: log copy ")
        .contains("differs from the export's");

    List<String> contradicted = new ArrayList<>(log);
    contradicted.add(
        contradicted.get(8).replace("\"subject\":\"user-7\"", "\"subject\":\"mallory\""));
    AuditApiTest.Tool twice =
        AuditApiTest.Tool.run(
            export, key, "--log", Files.write(dir.resolve("twice.log"), contradicted).toString());
    assertThat(twice.exitCode()).isEqualTo(1);
    assertThat(twice.output())
        .contains("FAILED at seq 7: ")
        .contains("two lines give event 7 different content");
  }

  @Test
  void twoSealersAtOnceSealEachEventOnce() throws Exception {
    tx.executeWithoutResult(
        status -> {
          for (int i = 0; i < 1200; i++) {
            trail.record(
                AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED)
                    .subject("user-" + i));
          }
        });
    Lines a = new Lines();
    Lines b = new Lines();
    AuditSealer nodeA = restartedSealer(a);
    AuditSealer nodeB = restartedSealer(b);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CyclicBarrier go = new CyclicBarrier(2);
      Future<Integer> sealedByA =
          pool.submit(
              () -> {
                go.await();
                return nodeA.seal();
              });
      Future<Integer> sealedByB =
          pool.submit(
              () -> {
                go.await();
                return nodeB.seal();
              });
      // one waits for the other's batches (or gives its round up when the wait outlasts the lock
      // timeout)
      assertThat(sealedByA.get(2, TimeUnit.MINUTES) + sealedByB.get(2, TimeUnit.MINUTES))
          .isEqualTo(1200);
    } finally {
      pool.shutdownNow();
    }
    // the next round: lines that a round gave up on behind the other's lock are written now
    assertThat(nodeA.seal()).isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(distinct seq) from audit_event where seq between 1 and 1200",
                Long.class))
        .isEqualTo(1200);
    assertThat(jdbc.queryForList("select seq from audit_checkpoint order by seq", Long.class))
        .containsExactly(1000L);
    List<Long> lines = new ArrayList<>(a.seqs());
    lines.addAll(b.seqs());
    Collections.sort(lines);
    assertThat(lines)
        .as("each line written by one of them, once")
        .hasSize(1200)
        .doesNotHaveDuplicates();
    AuditVerification verification = verifier.verify();
    assertThat(verification.valid()).as(verification.reason()).isTrue();
    assertThat(verification.eventsChecked()).isEqualTo(1200);
  }

  @Test
  void whileOneSealerHoldsTheLockTheOtherWaitsAndThenFindsNothingToSeal() throws Exception {
    for (int i = 0; i < 3; i++) {
      trail.record(AuditTrailTest.requested("user-" + i));
    }
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> first =
          pool.submit(
              () ->
                  tx.executeWithoutResult(
                      status -> {
                        sealer.checkpointHead();
                        holding.countDown();
                        try {
                          release.await(1, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      assertThat(holding.await(1, TimeUnit.MINUTES)).isTrue();
      // the other node: a connection of its own, which waits for the lock longer than H2's default
      // 2 s
      Connection connection = dataSource.getConnection();
      try (Statement statement = connection.createStatement()) {
        statement.execute("set lock_timeout 60000");
      }
      SingleConnectionDataSource otherNode = new SingleConnectionDataSource(connection, true);
      Thread[] second = new Thread[1];
      Future<Integer> other =
          pool.submit(
              () -> {
                second[0] = Thread.currentThread();
                return new AuditSealer(
                        new JdbcTemplate(otherNode),
                        keys,
                        properties,
                        new Lines(),
                        new DataSourceTransactionManager(otherNode))
                    .seal();
              });
      // it sees the three entries (not committed as sealed yet) and waits for the head row
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  second[0] != null
                      && (second[0].getState() == Thread.State.TIMED_WAITING
                          || second[0].getState() == Thread.State.WAITING));
      assertThat(other.isDone()).isFalse();
      release.countDown();
      first.get(1, TimeUnit.MINUTES);
      assertThat(other.get(1, TimeUnit.MINUTES)).as("the first sealed them all").isZero();
      connection.close();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertThat(jdbc.queryForList("select seq from audit_event order by seq", Long.class))
        .containsExactly(1L, 2L, 3L);
  }

  /**
   * A pool of two connections, and callers that each hold one in a transaction that records an
   * event, records a refusal on its own, and rolls back. Every refusal stays, every other event
   * goes, and no caller waits for a second connection. Recording the refusal in a transaction of
   * its own (REQUIRES_NEW), as before, makes two such callers wait for each other until the pool
   * gives up.
   */
  @Test
  void aRefusalOutlivesItsRolledBackTransactionWithAPoolOfTwoConnections() throws Exception {
    try (HikariDataSource two = new HikariDataSource()) {
      two.setJdbcUrl(((HikariDataSource) dataSource).getJdbcUrl());
      two.setUsername(((HikariDataSource) dataSource).getUsername());
      two.setPassword(((HikariDataSource) dataSource).getPassword());
      two.setMaximumPoolSize(2);
      two.setConnectionTimeout(2000);
      DataSourceTransactionManager manager = new DataSourceTransactionManager(two);
      JdbcTemplate onTwo = new JdbcTemplate(two);
      AuditSealer sealerOnTwo = new AuditSealer(onTwo, keys, properties, new Lines(), manager);
      AuditTrail trailOnTwo = new AuditTrail(onTwo, keys, sealerOnTwo, manager);
      TransactionTemplate step = new TransactionTemplate(manager);

      int callers = 8;
      int each = 10;
      AtomicInteger otherFailures = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
          String who = "caller-" + c;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      try {
                        step.executeWithoutResult(
                            status -> {
                              trailOnTwo.record(AuditTrailTest.requested(who));
                              trailOnTwo.recordOnItsOwn(
                                  AuditEvent.Draft.by(who, AuditAction.ACTION_REFUSED)
                                      .detail("why", "test"));
                              throw new IllegalStateException("refused");
                            });
                      } catch (IllegalStateException refused) {
                        // the step's own outcome
                      } catch (RuntimeException other) {
                        otherFailures.incrementAndGet();
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
      assertThat(otherFailures).as("no caller waited for a connection in vain").hasValue(0);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from audit_event where action = ?",
                  Long.class,
                  AuditAction.ACTION_REFUSED))
          .isEqualTo(callers * each);
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from audit_event where action = ?",
                  Long.class,
                  AuditAction.ACCESS_REQUESTED))
          .as("rolled back with their steps")
          .isZero();
      assertThat(sealerOnTwo.seal()).isEqualTo(callers * each);
      assertThat(verifier.verify().valid()).isTrue();

      // the way it was: a transaction of its own takes a second connection while the caller holds
      // one
      TransactionTemplate ownTransaction = new TransactionTemplate(manager);
      ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
      CyclicBarrier bothHoldOne = new CyclicBarrier(2);
      // neither caller lets go of its connection before both have tried for a second: otherwise the
      // first to time out would free a connection for the other, and whether both fail would depend
      // on the timing
      CyclicBarrier bothTried = new CyclicBarrier(2);
      ExecutorService old = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> attempts = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
          attempts.add(
              old.submit(
                  () ->
                      step.executeWithoutResult(
                          status -> {
                            onTwo.queryForObject(
                                "select count(*) from audit_checkpoint", Long.class);
                            both(bothHoldOne);
                            try {
                              ownTransaction.executeWithoutResult(
                                  inner ->
                                      onTwo.queryForObject(
                                          "select count(*) from audit_event", Long.class));
                            } finally {
                              both(bothTried);
                            }
                          })));
        }
        for (Future<?> attempt : attempts) {
          assertThatThrownBy(() -> attempt.get(1, TimeUnit.MINUTES))
              .hasRootCauseInstanceOf(SQLTransientConnectionException.class)
              .cause()
              .isInstanceOf(CannotCreateTransactionException.class);
        }
      } finally {
        old.shutdownNow();
      }
    }
  }

  private AuditSealer restartedSealer(AuditLogLine lines) {
    return new AuditSealer(jdbc, keys, properties, lines, transactions);
  }

  /** A SIEM copy that keeps what it is given. */
  static final class Lines extends AuditLogLine {
    final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    boolean enabled() {
      return true;
    }

    @Override
    void write(AuditEvent e) {
      events.add(e);
    }

    List<Long> seqs() {
      synchronized (events) {
        return events.stream().map(AuditEvent::seq).toList();
      }
    }
  }

  private static void both(CyclicBarrier barrier) {
    try {
      barrier.await(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
