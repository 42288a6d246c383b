package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.support.PortcullisTest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One live node per node name: a second start with the name of a node that renews its claim is
 * refused; a restart after a crash takes the name back once the dead start's claim has lapsed, and
 * the old start, should it come back, has lost the name; a graceful stop gives it up for a restart
 * at once. With a lease of one second, renewed by the test as the heartbeat would.
 */
@PortcullisTest
class NodeLeaseTest {

  static final Duration LEASE = Duration.ofSeconds(1);

  @Autowired JdbcTemplate jdbc;
  @Autowired NodeLease ownLease;
  final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void cleanUp() {
    heartbeat.shutdownNow();
    jdbc.update("delete from node_lease where node_name like 'lease-test-%'");
  }

  @Test
  void theApplicationTookItsOwnNameAtStartUp() {
    assertThat(ownLease.held()).isTrue();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from node_lease where node_name = ?", Long.class, ownLease.name()))
        .isOne();
  }

  @Test
  void aSecondLiveNodeWithTheSameNameIsRefused() {
    NodeLease first = lease("lease-test-twin");
    first.take();
    heartbeat.scheduleWithFixedDelay(
        first::renew, 0, LEASE.dividedBy(5).toMillis(), TimeUnit.MILLISECONDS);

    NodeLease twin = lease("lease-test-twin");
    assertThatThrownBy(twin::take)
        .isInstanceOf(NodeStartRefusedException.class)
        .hasMessageStartingWith(
            "another live node holds the node name lease-test-twin: it renewed its claim ")
        .hasMessageContaining("give each node its own portcullis.jobs.node-name");
    assertThat(twin.held()).isFalse();
    assertThat(first.held()).isTrue();
    assertThat(first.renew()).isTrue();
  }

  @Test
  void aRestartAfterACrashTakesTheNameBackAndTheDeadStartHasLostIt() {
    NodeLease crashed = lease("lease-test-crash");
    crashed.take();
    // no renewal from here on: the process died

    NodeLease restarted = lease("lease-test-crash");
    restarted.take();
    assertThat(restarted.held()).isTrue();
    assertThat(restarted.renew()).isTrue();
    assertThat(restarted.health().getStatus()).isEqualTo(Status.UP);

    // the old start was only paused, and comes back: it has lost the name for good
    assertThat(crashed.renew()).isFalse();
    assertThat(crashed.held()).isFalse();
    assertThat(crashed.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(crashed.health().getDetails())
        .containsEntry("lease", "taken by another start of this name");
  }

  @Test
  void aGracefulStopGivesTheNameUpForARestartAtOnce() {
    NodeLease stopped = lease("lease-test-stop");
    stopped.take();
    stopped.release();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from node_lease where node_name = 'lease-test-stop'", Long.class))
        .isZero();

    NodeLease restarted = lease("lease-test-stop");
    restarted.take();
    assertThat(restarted.held()).isTrue();
  }

  @Test
  void nodesWithOtherNamesDoNotMeet() {
    NodeLease a = lease("lease-test-a");
    NodeLease b = lease("lease-test-b");
    a.take();
    b.take();
    assertThat(a.renew()).isTrue();
    assertThat(b.renew()).isTrue();
  }

  private NodeLease lease(String name) {
    return new NodeLease(jdbc, name, LEASE);
  }
}
