package io.portcullis.jobs;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.spring.ProcessEngineFactoryBean;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.stereotype.Component;

/**
 * The node takes its name ({@link NodeLease}) after Flyway has made the lease table and before the
 * engine is built: a node that may not start because its name is taken changes nothing in the
 * shared database.
 */
final class LeaseBeforeEngine {

  private LeaseBeforeEngine() {}

  @Component
  static class EngineAfterLease extends AbstractDependsOnBeanFactoryPostProcessor {
    EngineAfterLease() {
      super(ProcessEngine.class, ProcessEngineFactoryBean.class, NodeLease.class);
    }
  }

  @Component
  static class LeaseAfterMigrations extends AbstractDependsOnBeanFactoryPostProcessor {
    LeaseAfterMigrations() {
      super(NodeLease.class, FlywayMigrationInitializer.class);
    }
  }
}
