package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.approval.ApprovalProcess;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The product on PostgreSQL with two roles, as README "Running in production" sets them up: a
 * migration role that owns Portcullis' tables (Flyway runs as it) and the runtime role that the
 * nodes run as. The product works (a request granted, its events sealed and signed, the trail
 * verified, retention pruned through the owner's function), while the runtime role cannot delete,
 * rewrite or forge an event of the trail.
 */
@Tag("postgres")
@SpringBootTest(
    properties = {"portcullis.audit.retention=P365D", "portcullis.audit.checkpoint-every=10"})
@ActiveProfiles({"demo", "test"})
@ContextConfiguration(initializers = AuditRuntimeRoleOnPostgresTest.TwoRoles.class)
class AuditRuntimeRoleOnPostgresTest {

  static final Instant T0 = Instant.parse("2025-01-06T09:00:00Z");

  @Autowired JdbcTemplate runtime;
  @Autowired AuditTrail trail;
  @Autowired AuditSealer sealer;
  @Autowired AuditVerifier verifier;
  @Autowired AuditRetention retention;
  @Autowired RuntimeService processes;
  @Autowired TaskService tasks;
  @Autowired ManagementService management;
  @Autowired IdentityService identity;
  @Autowired PlatformTransactionManager transactions;

  /**
   * A database owned by a migration role, and a runtime role with only the right to create the
   * engine's tables.
   */
  static class TwoRoles implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    static String url;
    static String owner;
    static String user;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
      PostgresServer server = PostgresServer.get();
      owner = server.createRole("portcullis_owner", "owner-secret");
      user = server.createRole("portcullis", "runtime-secret");
      url = server.createDatabase(owner);
      try (Connection c = DriverManager.getConnection(url, owner, "owner-secret");
          Statement s = c.createStatement()) {
        // README: Camunda creates and upgrades its own tables at start, as the runtime role
        s.execute("grant create on schema public to " + user);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "two-roles",
                  Map.of(
                      "spring.datasource.url",
                      url,
                      "spring.datasource.username",
                      user,
                      "spring.datasource.password",
                      "runtime-secret",
                      "spring.flyway.user",
                      owner,
                      "spring.flyway.password",
                      "owner-secret",
                      "spring.datasource.hikari.maximum-pool-size",
                      "8")));
      server.usedBy(context);
    }
  }

  /** Each test on a fresh trail, emptied as only the trail's owner may. */
  @BeforeEach
  void freshTrail() {
    AuditTables.reset(
        new JdbcTemplate(
            new DriverManagerDataSource(TwoRoles.url, TwoRoles.owner, "owner-secret")));
  }

  @AfterEach
  void resetClock() {
    ClockUtil.reset();
  }

  @Test
  void theProductWorksAsTheRuntimeRole() {
    assertThat(runtime.queryForObject("select current_user", String.class))
        .isEqualTo(TwoRoles.user);
    assertThat(
            runtime.queryForObject(
                "select tableowner from pg_tables where tablename = 'audit_event'", String.class))
        .isEqualTo(TwoRoles.owner);
    assertThat(
            runtime.queryForObject(
                "select tableowner from pg_tables where tablename = 'act_ru_job'", String.class))
        .as("the engine's tables are the runtime role's, made by Camunda")
        .isEqualTo(TwoRoles.user);

    String pi = approvedAndGranted("alice");
    assertThat(
            runtime.queryForObject(
                "select status from access_request where process_instance_id = ?",
                String.class,
                pi))
        .isEqualTo("ACTIVE");
    sealer.seal();
    trail.checkpointNow();
    sealer.seal();
    assertThat(
            runtime.queryForObject(
                "select count(*) from audit_event where seq is null", Long.class))
        .as("all sealed")
        .isZero();
    assertThat(
            runtime.queryForObject(
                "select count(*) from audit_event where action = 'access.granted'", Long.class))
        .isPositive();
    AuditVerification result = verifier.verify();
    assertThat(result.valid()).as(result.toString()).isTrue();
  }

  @Test
  void theRuntimeRoleCannotDeleteRewriteOrForgeTheTrail() {
    for (int i = 0; i < 12; i++) {
      trail.record(
          AuditEvent.Draft.by("bob", AuditAction.ACCESS_DECIDED)
              .subject("user-" + i)
              .detail("decision", "APPROVE"));
    }
    sealer.seal();
    long seq = runtime.queryForObject("select max(seq) from audit_event", Long.class);
    long checkpoint = runtime.queryForObject("select max(seq) from audit_checkpoint", Long.class);

    for (String sql :
        List.of(
            "delete from audit_event where seq = " + seq,
            "truncate audit_event",
            "update audit_event set details = '{}' where seq = " + seq,
            "update audit_event set actor = 'mallory' where seq = " + seq,
            "update audit_event set hash = repeat('f', 64) where seq = " + seq,
            "update audit_event set mac = repeat('f', 64), entry_mac = null where seq = " + seq,
            "update audit_event set seq = null where seq = " + seq,
            "insert into audit_event (seq, event_time, actor, action, details, prev_hash, hash, mac) values (999, now(), 'mallory', 'x', '{}', "
                + "'0', '0', '0')",
            "delete from audit_checkpoint where seq = " + checkpoint,
            "update audit_checkpoint set signature = 'forged' where seq = " + checkpoint,
            "update audit_retention set keep_for = interval '1 second'",
            "drop trigger audit_event_sealed_rows_stay on audit_event",
            "alter table audit_event disable trigger all")) {
      // 42501: insufficient privilege (PostgreSQL's own, or the trigger's on a sealed event)
      assertThatThrownBy(() -> runtime.execute(sql))
          .as(sql)
          .isInstanceOfSatisfying(
              DataAccessException.class,
              refused ->
                  assertThat(((SQLException) refused.getMostSpecificCause()).getSQLState())
                      .as(sql)
                      .isEqualTo("42501"));
    }
    assertThat(runtime.queryForObject("select audit_prune(?)", Integer.class, checkpoint))
        .as("events younger than a year stay")
        .isEqualTo(-1);

    assertThat(
            runtime.queryForObject(
                "select count(*) from audit_event where seq is not null", Long.class))
        .isEqualTo(12);
    AuditVerification result = verifier.verify();
    assertThat(result.valid()).as(result.toString()).isTrue();
  }

  @Test
  void retentionPrunesThroughTheOwnersFunctionOnly() {
    at(T0);
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              for (int i = 0; i < 25; i++) {
                trail.record(
                    AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED)
                        .subject("user-" + i));
              }
            });
    sealer.seal();
    at(T0.plus(Duration.ofDays(400)));
    trail.record(
        AuditEvent.Draft.by(AuditEvent.SYSTEM, AuditAction.ACCESS_EXPIRED).subject("recent"));
    sealer.seal();
    long first = runtime.queryForObject("select min(seq) from audit_event", Long.class);
    // the database's copy of portcullis.audit.retention, written by the migration role at start-up
    assertThat(
            runtime.queryForObject(
                "select extract(epoch from keep_for)::bigint from audit_retention", Long.class))
        .isEqualTo(Duration.ofDays(365).toSeconds());

    Long anchor = retention.prune().orElseThrow();
    sealer.seal();
    assertThat(runtime.queryForObject("select min(seq) from audit_event", Long.class))
        .isEqualTo(anchor + 1)
        .isGreaterThan(first);
    AuditVerification result = verifier.verify();
    assertThat(result.valid()).as(result.toString()).isTrue();
  }

  private String approvedAndGranted(String requester) {
    Map<String, Object> asked = new HashMap<>();
    asked.put(AccessProcess.RESOURCE, "staging-db-admin");
    asked.put(AccessProcess.DURATION, "PT1H");
    asked.put(AccessProcess.JUSTIFICATION, "two database roles");
    asked.put(AccessProcess.TICKET, "OPS-10");
    ProcessInstance pi;
    identity.setAuthentication(requester, List.of("developers"));
    try {
      pi =
          processes.startProcessInstanceByKey(
              AccessProcess.KEY, UUID.randomUUID().toString(), asked);
    } finally {
      identity.clearAuthentication();
    }
    Map<String, Object> decision = new HashMap<>();
    decision.put(ApprovalProcess.DECISION, "approve");
    identity.setAuthentication("bob", List.of("team-leads"));
    try {
      tasks.complete(
          tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult().getId(), decision);
    } finally {
      identity.clearAuthentication();
    }
    // the standing-access check with the access clock, then the grant: each an async step; the
    // expiry is not due
    for (Job job;
        (job =
                management
                    .createJobQuery()
                    .processInstanceId(pi.getId())
                    .executable()
                    .singleResult())
            != null; ) {
      management.executeJob(job.getId());
    }
    return pi.getId();
  }

  private static void at(Instant time) {
    ClockUtil.setCurrentTime(Date.from(time));
  }
}
