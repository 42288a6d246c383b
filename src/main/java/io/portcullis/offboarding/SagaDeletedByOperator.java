package io.portcullis.offboarding;

import io.portcullis.jobs.HistoryListener;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * An operator who deletes an offboarding's saga (Cockpit, the engine's REST API) does not end the
 * offboarding: a leaver half offboarded is the hole this closes. A new saga starts for the same
 * offboarding, in the deletion's transaction, and runs from the top, every step of which is
 * idempotent; only {@code POST /api/offboardings/{id}/cancel} ends one, and only before its
 * effective time. Watched through the engine's history, which Cockpit writes even when it skips
 * listeners.
 */
@Component
class SagaDeletedByOperator implements HistoryListener {

  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final RuntimeService runtime;

  SagaDeletedByOperator(
      OffboardingRepository offboardings, OffboardingEvents events, @Lazy RuntimeService runtime) {
    this.offboardings = offboardings;
    this.events = events;
    this.runtime = runtime;
  }

  @Override
  public void handleEvent(HistoryEvent event) {
    if (!(event instanceof HistoricProcessInstanceEventEntity instance)
        || !HistoryEventTypes.PROCESS_INSTANCE_END.getEventName().equals(event.getEventType())
        || !OffboardingProcess.KEY.equals(instance.getProcessDefinitionKey())
        || !HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED.equals(instance.getState())) {
      return;
    }
    offboardings
        .findByProcessInstance(instance.getProcessInstanceId())
        .filter(o -> o.status().open())
        .ifPresent(
            o -> {
              Authentication who = Context.getCommandContext().getAuthentication();
              String operator = who == null || who.getUserId() == null ? "system" : who.getUserId();
              offboardings.unbind(o.id());
              events.retried(
                  o,
                  operator,
                  "its saga was deleted in the engine"
                      + (instance.getDeleteReason() == null
                          ? ""
                          : " (" + instance.getDeleteReason() + ")")
                      + "; a new saga runs it from the start");
              Context.getCommandContext()
                  .runWithoutAuthorization(
                      () ->
                          runtime.startProcessInstanceByKey(
                              OffboardingProcess.KEY, o.id().value()));
            });
  }
}
