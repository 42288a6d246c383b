package io.portcullis.audit;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Signs the end of the audit trail; {@code processes/audit-checkpoint.bpmn} calls it each hour, so
 * the time lives in the model and can be changed there.
 */
@Component("signAuditCheckpoint")
public class SignAuditCheckpoint implements JavaDelegate {

  private final AuditTrail trail;

  public SignAuditCheckpoint(AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public void execute(DelegateExecution execution) {
    trail.checkpointNow().ifPresent(c -> execution.setVariable("checkpointSeq", c.seq()));
  }
}
