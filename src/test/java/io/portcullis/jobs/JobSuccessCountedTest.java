package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.PortcullisTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.jobexecutor.SuccessfulJobListener;
import org.camunda.bpm.engine.management.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

/** A step that succeeded is counted as the engine counts it, with no transaction of its own. */
@PortcullisTest
class JobSuccessCountedTest {

  @Autowired ProcessEngine engine;
  @Autowired PlatformTransactionManager transactions;

  private final AtomicInteger begunHere = new AtomicInteger();
  private final Thread here = Thread.currentThread();
  private final TransactionExecutionListener counter =
      new TransactionExecutionListener() {
        @Override
        public void afterBegin(TransactionExecution transaction, Throwable beginFailure) {
          // the job executor and the audit sealer begin theirs on threads of their own
          if (Thread.currentThread() == here) {
            begunHere.incrementAndGet();
          }
        }
      };

  @BeforeEach
  void countTransactions() {
    ((AbstractPlatformTransactionManager) transactions).addListener(counter);
  }

  @AfterEach
  void stopCounting() {
    ((AbstractPlatformTransactionManager) transactions)
        .getTransactionExecutionListeners()
        .remove(counter);
  }

  @Test
  void theEnginesCommandAfterASuccessfulJob_countsTheMetric_withoutATransaction() {
    ProcessEngineConfigurationImpl configuration =
        (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    CommandExecutor commands = configuration.getCommandExecutorTxRequired();
    long before = successes(configuration);

    commands.execute(new SuccessfulJobListener());

    assertThat(successes(configuration)).isEqualTo(before + 1);
    assertThat(begunHere).hasValue(0);

    // any other command still runs in a transaction, which the counter sees
    engine.getManagementService().createJobQuery().count();
    assertThat(begunHere).hasValue(1);
  }

  private static long successes(ProcessEngineConfigurationImpl configuration) {
    assertThat(configuration.isMetricsEnabled()).as("the engine's metrics are on").isTrue();
    return configuration.getMetricsRegistry().getDbMeterByName(Metrics.JOB_SUCCESSFUL).get();
  }
}
