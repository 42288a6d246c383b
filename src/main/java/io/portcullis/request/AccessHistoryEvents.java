package io.portcullis.request;

import java.util.List;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.stereotype.Component;

/**
 * What the access feature learns from the engine's history, beside the engine's own history tables
 * (the Camunda Spring Boot starter takes exactly one such handler and adds it to its own): deletions
 * by an operator, and failed steps and incidents for the audit trail. Runs in the transaction that
 * writes the history event.
 */
@Component
class AccessHistoryEvents implements HistoryEventHandler {

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

  @Override
  public void handleEvents(List<HistoryEvent> events) {
    events.forEach(this::handleEvent);
  }
}
