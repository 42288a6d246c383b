package io.portcullis.jobs;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.modulith.NamedInterface;

/**
 * The name of one of the engine's tables as this engine has it, with its configured table prefix.
 */
@NamedInterface("tables")
public final class EngineTables {

  private EngineTables() {}

  public static String of(ProcessEngine engine, String table) {
    String prefix =
        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
            .getDatabaseTablePrefix();
    return (prefix == null ? "" : prefix) + table;
  }
}
