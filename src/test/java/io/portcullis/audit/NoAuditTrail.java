package io.portcullis.audit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * An audit trail that records nothing, for measuring what the real one costs (see {@code
 * AuditCostBenchmark}): {@link #record} and {@link #recordOnItsOwn} return null without touching
 * the database or the keys. Never use it outside a benchmark.
 *
 * <p>Its methods are {@link Propagation#SUPPORTS SUPPORTS}, not the real trail's {@code REQUIRED}
 * and {@code REQUIRES_NEW}: they join the caller's transaction when there is one and never begin
 * one, so the no-op costs no connection and no commit of its own.
 */
public class NoAuditTrail extends AuditTrail {

  NoAuditTrail(
      JdbcTemplate jdbc,
      AuditKeys keys,
      AuditSealer sealer,
      PlatformTransactionManager transactions) {
    super(jdbc, keys, sealer, transactions);
  }

  @Override
  @Transactional(propagation = Propagation.SUPPORTS)
  public AuditEvent record(AuditEvent.Draft draft) {
    return null;
  }

  @Override
  @Transactional(propagation = Propagation.SUPPORTS)
  public AuditEvent recordOnItsOwn(AuditEvent.Draft draft) {
    return null;
  }

  /**
   * Replaces the audit trail everywhere it is injected. Add it as a source of the application: a
   * class given as a source needs no annotation for its bean methods, and without one, component
   * scanning never picks it up for other tests.
   */
  public static class Replacing {

    @Bean
    @Primary
    AuditTrail noAuditTrail(
        JdbcTemplate jdbc,
        AuditKeys keys,
        AuditSealer sealer,
        PlatformTransactionManager transactions) {
      return new NoAuditTrail(jdbc, keys, sealer, transactions);
    }
  }
}
