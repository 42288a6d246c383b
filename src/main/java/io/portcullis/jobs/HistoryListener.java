package io.portcullis.jobs;

import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.springframework.modulith.NamedInterface;

/**
 * A feature that learns from the engine's history as it is written (a failed attempt, an incident,
 * a deletion), in the transaction that writes it. The engine takes one history handler beside its
 * own; {@link HistoryListeners} is that one, and hands each event to every listener.
 */
@NamedInterface("history")
public interface HistoryListener {

  void handleEvent(HistoryEvent event);
}
