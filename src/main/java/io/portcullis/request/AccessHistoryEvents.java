package io.portcullis.request;

import io.portcullis.jobs.HistoryListener;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.springframework.stereotype.Component;

/**
 * What the access feature learns from the engine's history: deletions by an operator, and failed
 * steps and incidents for the audit trail. Runs in the transaction that writes the history event.
 */
@Component
class AccessHistoryEvents implements HistoryListener {

  private final InstanceDeletedByOperator deletions;
  private final StepFailuresAudited failures;

  AccessHistoryEvents(InstanceDeletedByOperator deletions, StepFailuresAudited failures) {
    this.deletions = deletions;
    this.failures = failures;
  }

  @Override
  public void handleEvent(HistoryEvent event) {
    failures.handleEvent(event);
    deletions.handleEvent(event);
  }
}
