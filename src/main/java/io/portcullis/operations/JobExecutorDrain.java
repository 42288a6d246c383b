package io.portcullis.operations;

import static org.camunda.bpm.spring.boot.starter.configuration.impl.DefaultJobConfiguration.JobConfiguration.CAMUNDA_TASK_EXECUTOR_QUALIFIER;

import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * A graceful shutdown lets the jobs that this node is running finish and commit. Without it,
 * closing the context closes the engine first and then interrupts the job threads, so a grant or
 * revoke in flight would be rolled back and wait, locked, until its lock expires for another node
 * to take it over.
 *
 * <p>First among the beans to stop (the highest phase), it stops the job executor's acquisition (no
 * new job is locked by this node), then lets the jobs already handed to the pool finish, for at
 * most {@code spring.lifecycle.timeout-per-shutdown-phase}. A job that is still running then is
 * interrupted and rolled back; its lock expires after {@code
 * camunda.bpm.job-execution.lock-time-in-millis} and another node runs it again (steps are
 * idempotent).
 */
@Component
class JobExecutorDrain implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobExecutorDrain.class);

  private final ObjectProvider<JobExecutor> jobExecutor;
  private final ObjectProvider<TaskExecutor> jobThreads;
  private final Duration timeout;
  private volatile boolean running;

  JobExecutorDrain(
      ObjectProvider<JobExecutor> jobExecutor,
      @Qualifier(CAMUNDA_TASK_EXECUTOR_QUALIFIER) ObjectProvider<TaskExecutor> jobThreads,
      @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration timeout) {
    this.jobExecutor = jobExecutor;
    this.jobThreads = jobThreads;
    this.timeout = timeout;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    JobExecutor executor = jobExecutor.getIfAvailable();
    if (executor != null && executor.isActive()) {
      executor.shutdown();
    }
    if (jobThreads.getIfAvailable() instanceof ThreadPoolTaskExecutor pool
        && pool.getThreadPoolExecutor() != null) {
      ThreadPoolExecutor threads = pool.getThreadPoolExecutor();
      threads.shutdown();
      try {
        if (!threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn(
              "{} job(s) still running after {}: they are interrupted and run again when their locks expire",
              threads.getActiveCount(),
              timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stopped before everything else: before the web server, the engine and the connection pool. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
