package io.portcullis;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.spring.ProcessEngineFactoryBean;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.stereotype.Component;

/**
 * Flyway migrates our tables before the engine creates its own: Flyway refuses to start on a schema
 * that already has tables but no history of its own, which the engine's tables would be on a first
 * run.
 */
@Component
class MigrationsBeforeEngine extends AbstractDependsOnBeanFactoryPostProcessor {

  MigrationsBeforeEngine() {
    super(ProcessEngine.class, ProcessEngineFactoryBean.class, FlywayMigrationInitializer.class);
  }
}
