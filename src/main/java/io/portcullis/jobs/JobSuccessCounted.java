package io.portcullis.jobs;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.jobexecutor.SuccessfulJobListener;
import org.camunda.bpm.engine.management.Metrics;
import org.springframework.stereotype.Component;

/**
 * Counts a step that succeeded without a transaction of its own. After every job that succeeded,
 * the engine runs one more command only to add one to an in-memory metric: a transaction with a
 * connection taken from the pool and a commit, but no statement. That was half the commits of the
 * grant and of the expiry (issue 31: two of four each). Its one effect, the metric, is made here,
 * in front of the transaction, as the engine's own command would make it.
 */
@Component
class JobSuccessCounted extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<CommandInterceptor> before =
        configuration.getCustomPreCommandInterceptorsTxRequired() == null
            ? new ArrayList<>()
            : new ArrayList<>(configuration.getCustomPreCommandInterceptorsTxRequired());
    before.add(new WithoutTransaction(configuration));
    configuration.setCustomPreCommandInterceptorsTxRequired(before);
  }

  private static final class WithoutTransaction extends CommandInterceptor {

    private final ProcessEngineConfigurationImpl configuration;

    WithoutTransaction(ProcessEngineConfigurationImpl configuration) {
      this.configuration = configuration;
    }

    @Override
    public <T> T execute(Command<T> command) {
      if (command.getClass() == SuccessfulJobListener.class) {
        if (configuration.isMetricsEnabled()) {
          configuration.getMetricsRegistry().markOccurrence(Metrics.JOB_SUCCESSFUL);
        }
        return null;
      }
      return next.execute(command);
    }
  }
}
