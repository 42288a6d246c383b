package io.portcullis.jobs;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every fifth of the node lease (2 s by default), while the job executor may run: renews this
 * node's claim to its name ({@link NodeLease}) and compares its clock with the database's ({@link
 * NodeClock}); the job executor's acquisition asks both before it takes jobs ({@link
 * JobAcquisitionGate}). The first comparison is made at start-up, before the job executor starts
 * (Camunda starts it once the application is ready).
 *
 * <p>Like the audit sealer, a loop in Java beside the engine's own job executor: it decides no flow
 * and no business time, it keeps the node fit to take part (docs/architecture.md, rule 1 is about
 * the process's time).
 *
 * <p>Stopped after the job executor has drained ({@link io.portcullis.operations} stops that
 * first), then the name is given up, so that a node restarted after a graceful stop takes it at
 * once.
 */
@Component
class NodeHeartbeat implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

  private final NodeLease lease;
  private final NodeClock clock;
  private final JobsProperties properties;
  private final boolean jobExecution;
  private ScheduledExecutorService loop;

  NodeHeartbeat(
      NodeLease lease,
      NodeClock clock,
      JobsProperties properties,
      @Value("${camunda.bpm.job-execution.enabled:true}") boolean jobExecution) {
    this.lease = lease;
    this.clock = clock;
    this.properties = properties;
    this.jobExecution = jobExecution;
  }

  @Override
  public boolean isAutoStartup() {
    return jobExecution;
  }

  @Override
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    clock.check();
    loop =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "node-heartbeat");
              thread.setDaemon(true);
              return thread;
            });
    long millis = properties.heartbeat().toMillis();
    loop.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** One beat: the lease renewed, the clock compared. */
  void beat() {
    try {
      lease.renew();
    } catch (RuntimeException e) {
      log.warn("node lease of {} not renewed this time: {}", lease.name(), e.toString());
    }
    clock.check();
  }

  @Override
  public void stop() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = loop;
      loop = null;
    }
    if (stopping == null) {
      return;
    }
    stopping.shutdownNow();
    try {
      stopping.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      lease.release();
    } catch (RuntimeException e) {
      log.warn(
          "node name {} not given up on stop ({}): a restart waits for its claim to lapse",
          lease.name(),
          e.toString());
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return loop != null;
  }

  /** Stops right after the job executor's drain, which runs first of all. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1;
  }
}
