package io.portcullis.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far this node's clock (the engine's, {@link ClockUtil}, which times expiry timers, job locks
 * and audit events) is from the database's, the one clock that every node shares. Measured as NTP
 * does: the database's {@code current_timestamp} is compared with the middle of the round trip that
 * fetched it, and half the round trip is the error of the measure; of a few samples, the one with
 * the shortest round trip is kept. Outside a transaction, so that the database's time is that of
 * this statement (PostgreSQL's {@code current_timestamp} is its transaction's start).
 */
@Component
class DatabaseClock {

  private static final int SAMPLES = 3;

  private final JdbcTemplate jdbc;

  DatabaseClock(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Reading read() {
    Reading best = null;
    for (int i = 0; i < SAMPLES; i++) {
      Reading reading = sample();
      if (best == null || reading.error().compareTo(best.error()) < 0) {
        best = reading;
      }
    }
    return best;
  }

  private Reading sample() {
    long sent = System.nanoTime();
    Instant nodeAtSend = ClockUtil.getCurrentTime().toInstant();
    OffsetDateTime database = jdbc.queryForObject("select current_timestamp", OffsetDateTime.class);
    Duration roundTrip = Duration.ofNanos(System.nanoTime() - sent);
    Instant nodeAtMiddle = nodeAtSend.plus(roundTrip.dividedBy(2));
    // the engine's clock counts milliseconds: one more of error for its resolution
    Duration error = roundTrip.dividedBy(2).plusMillis(1);
    return new Reading(
        Duration.between(database.toInstant(), nodeAtMiddle), error, database.toInstant());
  }

  /**
   * One measure.
   *
   * @param offset this node's clock minus the database's: positive when the node is ahead
   * @param error how far the true offset may be from {@code offset}, either way
   * @param databaseTime the database's time when it answered
   */
  record Reading(Duration offset, Duration error, Instant databaseTime) {

    /** Whether the node's clock is certainly further from the database's than {@code bound}. */
    boolean beyond(Duration bound) {
      return offset.abs().minus(error).compareTo(bound) > 0;
    }

    @Override
    public String toString() {
      return String.format("%+.3f s (± %.3f s)", offset.toNanos() / 1e9, error.toNanos() / 1e9);
    }
  }
}
