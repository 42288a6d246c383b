package io.portcullis.jobs;

import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.AcquireJobsCommandFactory;
import org.camunda.bpm.engine.impl.jobexecutor.AcquiredJobs;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultAcquireJobsCommandFactory;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * The job executor takes jobs only while this node holds its name ({@link NodeLease}) and its clock
 * agrees with the database's ({@link NodeClock}). Each acquisition asks; a closed gate acquires
 * nothing, so the executor's own loop goes on polling (and backing off as when there is no work)
 * and takes jobs again at the first poll after the gate opens. Jobs already running finish.
 */
@Component
class JobAcquisitionGate implements BeanPostProcessor {

  private final ObjectProvider<NodeLease> lease;
  private final ObjectProvider<NodeClock> clock;
  private final AtomicLong refused = new AtomicLong();

  JobAcquisitionGate(ObjectProvider<NodeLease> lease, ObjectProvider<NodeClock> clock) {
    this.lease = lease;
    this.clock = clock;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof JobExecutor executor) {
      AcquireJobsCommandFactory engine = new DefaultAcquireJobsCommandFactory(executor);
      executor.setAcquireJobsCmdFactory(jobs -> open() ? engine.getCommand(jobs) : nothing(jobs));
    }
    return bean;
  }

  boolean open() {
    return lease.getObject().held() && clock.getObject().agrees();
  }

  /** How many acquisitions the gate has turned away since this node started. */
  long refused() {
    return refused.get();
  }

  private Command<AcquiredJobs> nothing(int jobs) {
    refused.incrementAndGet();
    return context -> new AcquiredJobs(jobs);
  }
}
