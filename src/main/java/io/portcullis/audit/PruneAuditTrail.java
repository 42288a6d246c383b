package io.portcullis.audit;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Prunes the audit trail under its retention setting; {@code processes/audit-checkpoint.bpmn} calls
 * it each hour.
 */
@Component("pruneAuditTrail")
public class PruneAuditTrail implements JavaDelegate {

  private final AuditRetention retention;

  public PruneAuditTrail(AuditRetention retention) {
    this.retention = retention;
  }

  @Override
  public void execute(DelegateExecution execution) {
    retention.prune().ifPresent(anchor -> execution.setVariable("prunedThroughSeq", anchor));
  }
}
