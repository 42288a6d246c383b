package io.portcullis.jobs;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * This node's claim to its name ({@code portcullis.jobs.node-name}), so that no two live nodes lock
 * jobs under one name. Such twins would each release, when they start, the locks that the other
 * holds ({@link StaleJobLocks}), and run its steps a second time beside it, with nothing to notice.
 *
 * <p>A row per name in {@code node_lease}, holding a random id of this start and the time of its
 * last renewal, by the database's clock (so the nodes' own clocks do not matter). At start-up,
 * before the engine is built and before any lock is released, the node takes the row:
 *
 * <ul>
 *   <li>no row, or one not renewed for a whole lease ({@code portcullis.jobs.node-lease}): it is
 *       taken;
 *   <li>a row renewed within the lease: either a live twin, which renews it every fifth of the
 *       lease, or this node's own predecessor, killed a moment ago, which renews it no more. The
 *       node watches the row for up to one lease: renewed meanwhile, a twin lives and the node
 *       refuses to start, naming the name; lapsed, it is taken. So a node restarted after a crash
 *       waits at most one lease (10 s by default) before it takes its locks back, and one restarted
 *       after a graceful stop (which gives the row up) not at all.
 * </ul>
 *
 * While it runs the node renews the row ({@link NodeHeartbeat}); should it find the row taken by
 * another start of its name (it was paused for longer than the lease meanwhile), it has lost the
 * name for good: it takes no job and reports readiness DOWN until it is restarted.
 */
@Component
class NodeLease implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(NodeLease.class);

  private final JdbcTemplate jdbc;
  private final String name;
  private final Duration lease;
  private final String instance = UUID.randomUUID().toString();
  private volatile boolean held;
  private volatile boolean lost;

  @Autowired
  NodeLease(JdbcTemplate jdbc, NodeName nodeName, JobsProperties properties) {
    this(jdbc, nodeName.get(), properties.nodeLease());
  }

  NodeLease(JdbcTemplate jdbc, String name, Duration lease) {
    this.jdbc = jdbc;
    this.name = name;
    this.lease = lease;
  }

  @Override
  public void afterPropertiesSet() {
    take();
  }

  /**
   * Takes the name, waiting up to one lease for a predecessor's claim to lapse.
   *
   * @throws NodeStartRefusedException when another live node holds the name
   */
  void take() {
    long deadline = System.nanoTime() + lease.plus(lease.dividedBy(5)).toNanos();
    Row watched = null;
    while (true) {
      Row row = row();
      if (row == null) {
        if (insert()) {
          return;
        }
        continue; // another start took it between the read and the insert: read again
      }
      if (row.instance().equals(instance)) {
        held = true;
        return;
      }
      if (row.idle().compareTo(lease) >= 0) {
        if (takeOver(row)) {
          log.info(
              "node name {} taken over: its previous holder last renewed it {} s ago (a node of this name that is gone)",
              name,
              row.idle().toSeconds());
          return;
        }
        continue;
      }
      if (watched != null
          && watched.instance().equals(row.instance())
          && !watched.renewedAt().equals(row.renewedAt())) {
        throw new NodeStartRefusedException(
            "another live node holds the node name "
                + name
                + ": it renewed its claim "
                + millis(row.idle())
                + " s ago by the database's clock, and again while this node waited. Two live nodes with one name "
                + "would each release the other's job locks and run its steps twice: give each node its own portcullis.jobs.node-name "
                + "(PORTCULLIS_JOBS_NODE_NAME)");
      }
      if (watched == null || !watched.instance().equals(row.instance())) {
        watched = row;
        log.info(
            "node name {} is held by a start that renewed it {} s ago: waiting up to {} to see whether it is alive",
            name,
            millis(row.idle()),
            lease);
      }
      if (System.nanoTime() > deadline) {
        throw new NodeStartRefusedException(
            "the node name "
                + name
                + " stayed claimed for longer than its lease ("
                + lease
                + ") "
                + "while this node waited: another live node holds it, or the database's clock stands still");
      }
      pause(lease.dividedBy(20));
    }
  }

  /**
   * Renews the claim, by the database's clock.
   *
   * @return whether this node still holds its name
   */
  boolean renew() {
    if (lost) {
      return false;
    }
    int renewed =
        jdbc.update(
            "update node_lease set renewed_at = current_timestamp where node_name = ? and instance_id = ?",
            name,
            instance);
    if (renewed == 0 && held) {
      lost = true;
      held = false;
      log.error(
          "node name {} was taken by another start of a node of that name while this one did not renew its claim (paused "
              + "for longer than {}?): this node takes no more jobs and reports readiness DOWN. Restart it, and give each node its own "
              + "portcullis.jobs.node-name",
          name,
          lease);
    }
    return held;
  }

  /**
   * Gives the name up, so that a restart takes it at once; on a graceful stop, after the running
   * jobs are done.
   */
  void release() {
    if (held) {
      jdbc.update("delete from node_lease where node_name = ? and instance_id = ?", name, instance);
      held = false;
    }
  }

  boolean held() {
    return held;
  }

  String name() {
    return name;
  }

  Health health() {
    return (held ? Health.up() : Health.down())
        .withDetail("nodeName", name)
        .withDetail(
            "lease", held ? "held" : lost ? "taken by another start of this name" : "not held")
        .build();
  }

  private boolean insert() {
    try {
      jdbc.update(
          "insert into node_lease (node_name, instance_id, taken_at, renewed_at) values (?, ?, current_timestamp, current_timestamp)",
          name,
          instance);
      held = true;
      return true;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  /**
   * Takes the row over from a start whose claim has lapsed, unless someone renewed or took it
   * meanwhile.
   */
  private boolean takeOver(Row row) {
    int taken =
        jdbc.update(
            "update node_lease set instance_id = ?, taken_at = current_timestamp, renewed_at = current_timestamp "
                + "where node_name = ? and instance_id = ? and renewed_at <= ?",
            instance,
            name,
            row.instance(),
            row.renewedAt());
    held = taken == 1;
    return held;
  }

  private Row row() {
    List<Row> rows =
        jdbc.query(
            "select instance_id, renewed_at, current_timestamp as database_time from node_lease where node_name = ?",
            (rs, i) ->
                new Row(
                    rs.getString("instance_id"),
                    rs.getObject("renewed_at", OffsetDateTime.class),
                    Duration.between(
                        rs.getObject("renewed_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("database_time", OffsetDateTime.class).toInstant())),
            name);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static String millis(Duration d) {
    return String.format("%.1f", d.toMillis() / 1000.0);
  }

  /**
   * Start-up waits for a predecessor's claim to lapse: this thread has nothing else to do
   * meanwhile.
   */
  private static void pause(Duration duration) {
    try {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeStartRefusedException(
          "interrupted while waiting for the node name's previous claim to lapse");
    }
  }

  private record Row(String instance, OffsetDateTime renewedAt, Duration idle) {
    Row {
      Objects.requireNonNull(instance);
    }
  }

  @Override
  public String toString() {
    return "NodeLease[" + name + ", " + (held ? "held" : "not held") + "]";
  }
}
