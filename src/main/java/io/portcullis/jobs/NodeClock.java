package io.portcullis.jobs;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Whether this node's clock agrees with the database's, within {@code
 * portcullis.jobs.max-clock-skew}. Expiry timers, job lock expiries and audit times are taken from
 * each node's own clock (Camunda's engine knows no other); with every node within the bound of the
 * database's clock, the nodes are within twice the bound of each other. A node whose clock strays
 * further takes no job ({@link JobAcquisitionGate}) and reports readiness DOWN (so a load balancer
 * sends it no request) until it agrees again: a node five minutes ahead would otherwise write
 * expiry timers five minutes late and audit events in the future, and take over other nodes' jobs
 * before their locks expire.
 *
 * <p>Why a check rather than the database's time for every timestamp: the engine's timers and job
 * locks cannot be given another clock, so the check is needed anyway, and with it every time a node
 * writes is within the bound of the database's.
 */
@Component
class NodeClock {

  private static final Logger log = LoggerFactory.getLogger(NodeClock.class);

  private final DatabaseClock database;
  private final Duration bound;
  private final AtomicReference<State> state = new AtomicReference<>(new State(null, null));

  NodeClock(DatabaseClock database, JobsProperties properties) {
    this.database = database;
    this.bound = properties.maxClockSkew();
  }

  /**
   * Measures again; logs when the verdict changes. A database that does not answer leaves the
   * verdict as it was.
   */
  void check() {
    DatabaseClock.Reading reading;
    try {
      reading = database.read();
    } catch (RuntimeException e) {
      log.debug("clock check skipped, the database did not answer: {}", e.toString());
      return;
    }
    boolean agrees = !reading.beyond(bound);
    State before = state.getAndSet(new State(agrees, reading));
    if (before.agrees() == null || before.agrees() != agrees) {
      if (agrees) {
        log.info(
            "this node's clock agrees with the database's: {} from it, within {}; it takes jobs{}",
            reading,
            bound,
            before.agrees() == null ? "" : " again");
      } else {
        log.error(
            "this node's clock is {} from the database's, beyond portcullis.jobs.max-clock-skew ({}): it takes no job and "
                + "reports readiness DOWN until it agrees again. Check its time synchronisation (NTP)",
            reading,
            bound);
      }
    }
  }

  /** False until a first check has found the clocks within the bound, and while they are not. */
  boolean agrees() {
    return Boolean.TRUE.equals(state.get().agrees());
  }

  Health health() {
    State now = state.get();
    if (now.agrees() == null) {
      return Health.unknown().withDetail("maxSkew", bound.toString()).build();
    }
    return (now.agrees() ? Health.up() : Health.down())
        .withDetail("offset", now.reading().toString())
        .withDetail("maxSkew", bound.toString())
        .build();
  }

  private record State(Boolean agrees, DatabaseClock.Reading reading) {}
}
