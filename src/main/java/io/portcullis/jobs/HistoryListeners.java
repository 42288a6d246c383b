package io.portcullis.jobs;

import java.util.List;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.springframework.stereotype.Component;

/**
 * The one history handler that the Camunda Spring Boot starter adds beside the engine's own (it
 * takes exactly one): every feature's {@link HistoryListener}, in turn.
 */
@Component
class HistoryListeners implements HistoryEventHandler {

  private final List<HistoryListener> listeners;

  HistoryListeners(List<HistoryListener> listeners) {
    this.listeners = listeners;
  }

  @Override
  public void handleEvent(HistoryEvent event) {
    for (HistoryListener listener : listeners) {
      listener.handleEvent(event);
    }
  }

  @Override
  public void handleEvents(List<HistoryEvent> events) {
    events.forEach(this::handleEvent);
  }
}
