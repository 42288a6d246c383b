package io.portcullis.jobs;

import io.portcullis.connector.Connectors;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.kernel.ConnectorName;
import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.ldap.LdapProperties;
import org.springframework.stereotype.Component;

/**
 * The job lock time must exceed the longest a step may run, with a margin, or a node still inside a
 * step whose lock has expired runs it beside the node that took the job over. A directory step's
 * worst case is that of a grant: {@value #DIRECTORY_CALLS_PER_STEP} directory calls (find the
 * person, add them to the group, find them again and read the group back, {@code
 * connector.ldap.LdapGroupConnector}), each waiting at most for a connection to every URL in turn
 * and then for the answer: {@code 4 x (urls x connect-timeout + read-timeout)}, 60 s with one URL
 * and the default timeouts. A connector instance's steps may take longer: each states its own worst
 * case from its timeouts ({@link io.portcullis.connector.Connector#worstStep()}), and the longest
 * of all counts. The margin ({@code portcullis.jobs.lock-margin}, 1.5) covers what the worst case
 * leaves out: the step's database work and commit, a pause of the JVM (a full collection), and two
 * nodes' clocks, which may differ by twice {@code max-clock-skew} (a lock's expiry is written by
 * one node's clock and compared by another's). So the default lock time is 120 s, above 1.5 x 60 s.
 *
 * <p>Checked at start-up, when the job executor is on: a configuration without the margin does not
 * start, and the message says what to raise or lower, naming the connector instance when one needs
 * the longer lock.
 */
@Component
class LockTimeMargin {

  static final int DIRECTORY_CALLS_PER_STEP = 4;

  /**
   * Camunda's own default, when {@code camunda.bpm.job-execution.lock-time-in-millis} is not set.
   */
  static final Duration CAMUNDA_DEFAULT_LOCK_TIME = Duration.ofMinutes(5);

  LockTimeMargin(
      CamundaBpmProperties camunda,
      DirectoryProperties directory,
      ObjectProvider<LdapProperties> ldap,
      JobsProperties jobs,
      Connectors connectors) {
    if (!camunda.getJobExecution().isEnabled()) {
      return;
    }
    Integer configured = camunda.getJobExecution().getLockTimeInMillis();
    Duration lockTime =
        configured == null ? CAMUNDA_DEFAULT_LOCK_TIME : Duration.ofMillis(configured);
    LdapProperties connection = ldap.getIfAvailable();
    int urls =
        connection == null || connection.getUrls() == null || connection.getUrls().length == 0
            ? 1
            : connection.getUrls().length;
    Duration directoryStep = worstStep(urls, directory.connectTimeout(), directory.readTimeout());
    Map.Entry<ConnectorName, Duration> slowest =
        connectors.worstSteps().entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
    if (slowest != null && slowest.getValue().compareTo(directoryStep) > 0) {
      Duration required = required(slowest.getValue(), jobs);
      if (lockTime.compareTo(required) <= 0) {
        throw new NodeStartRefusedException(
            start(lockTime, jobs, slowest.getValue())
                + " (connector instance "
                + slowest.getKey()
                + ": its timeouts x the calls of its longest step) = "
                + required.toMillis()
                + " ms: otherwise a node still inside a "
                + "step whose lock expired runs it beside the node that took it over. Raise the lock time, or lower the timeouts of "
                + "portcullis.connectors."
                + slowest.getKey());
      }
      return;
    }
    Duration required = required(directoryStep, jobs);
    if (lockTime.compareTo(required) <= 0) {
      throw new NodeStartRefusedException(
          start(lockTime, jobs, directoryStep)
              + " ("
              + DIRECTORY_CALLS_PER_STEP
              + " directory calls x ("
              + urls
              + " URL(s) x portcullis.directory.connect-timeout "
              + directory.connectTimeout().toMillis()
              + " ms + read-timeout "
              + directory.readTimeout().toMillis()
              + " ms)) = "
              + required.toMillis()
              + " ms: otherwise a node "
              + "still inside a step whose lock expired runs it beside the node that took it over. Raise the lock time, or lower the "
              + "directory's timeouts");
    }
  }

  private static Duration required(Duration worstStep, JobsProperties jobs) {
    return Duration.ofMillis(Math.round(worstStep.toMillis() * jobs.lockMargin()));
  }

  private static String start(Duration lockTime, JobsProperties jobs, Duration worstStep) {
    return "camunda.bpm.job-execution.lock-time-in-millis ("
        + lockTime.toMillis()
        + ") must be more than "
        + jobs.lockMargin()
        + " x a step's worst case, "
        + worstStep.toSeconds()
        + " s";
  }

  static Duration worstStep(int urls, Duration connectTimeout, Duration readTimeout) {
    return connectTimeout
        .multipliedBy(urls)
        .plus(readTimeout)
        .multipliedBy(DIRECTORY_CALLS_PER_STEP);
  }
}
