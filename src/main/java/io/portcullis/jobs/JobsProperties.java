package io.portcullis.jobs;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How this node takes part in the job executor beside other nodes.
 *
 * @param nodeName the lock owner name of this node: stable across restarts of the same node, and
 *     different on every node that shares the database. Left out, it is the host name and the HTTP
 *     port ({@code host:8080}), which is stable for a node that keeps its host name. A node
 *     releases, when it starts, the locks still held under its own name (a process of it that was
 *     killed held them); so that it never releases a live node's, it first takes the name's lease
 *     ({@link NodeLease}), and refuses to start while another live node holds it
 * @param nodeLease how long a node's claim to its name lasts without renewal (default 10 s; renewed
 *     every fifth of it). A node restarted after a crash waits at most this long for its
 *     predecessor's claim to lapse; a node that started with a name already held sees the holder's
 *     renewal and refuses within a fifth of it
 * @param maxClockSkew how far this node's clock may be from the database's before it stops taking
 *     jobs and reports readiness DOWN (default 2 s, {@link NodeClock})
 * @param lockMargin how many times a step's worst case the job lock time must be (default 1.5,
 *     {@link LockTimeMargin})
 */
@Validated
@ConfigurationProperties("portcullis.jobs")
record JobsProperties(
    @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9._:@-]*") String nodeName,
    Duration nodeLease,
    Duration maxClockSkew,
    @DecimalMin("1.0") Double lockMargin) {

  JobsProperties {
    nodeLease = nodeLease == null ? Duration.ofSeconds(10) : nodeLease;
    if (nodeLease.compareTo(Duration.ofSeconds(1)) < 0
        || nodeLease.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "portcullis.jobs.node-lease must be between PT1S and PT5M");
    }
    maxClockSkew = maxClockSkew == null ? Duration.ofSeconds(2) : maxClockSkew;
    if (maxClockSkew.isNegative() || maxClockSkew.isZero()) {
      throw new IllegalArgumentException("portcullis.jobs.max-clock-skew must be positive");
    }
    lockMargin = lockMargin == null ? 1.5 : lockMargin;
  }

  /** How often the lease is renewed and the clock compared with the database's. */
  Duration heartbeat() {
    return nodeLease.dividedBy(5);
  }
}
