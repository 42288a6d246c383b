package io.portcullis.jobs;

import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Makes {@link PortcullisHistoryLevel} known to the engine, so that {@code
 * camunda.bpm.history-level: portcullis} names it. Registered whatever level is configured: a
 * database that says 26 is then still readable by an engine configured otherwise (which refuses it
 * with a clear mismatch, as for any level).
 */
@Component
class PortcullisHistory extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setCustomHistoryLevels(List.of(PortcullisHistoryLevel.INSTANCE));
  }
}
