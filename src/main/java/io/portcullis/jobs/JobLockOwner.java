package io.portcullis.jobs;

import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * The job executor locks jobs under this node's stable name instead of a random one per start, so
 * that a restarted node knows which locks its killed predecessor left behind ({@link
 * StaleJobLocks}).
 */
@Component
class JobLockOwner implements BeanPostProcessor {

  private final ObjectProvider<NodeName> nodeName;

  JobLockOwner(ObjectProvider<NodeName> nodeName) {
    this.nodeName = nodeName;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof JobExecutor executor) {
      executor.setLockOwner(nodeName.getObject().get());
    }
    return bean;
  }
}
