package io.portcullis.offboarding;

import io.portcullis.jobs.HistoryListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.history.JobState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricIncidentEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricJobLogEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.springframework.stereotype.Component;

/**
 * Every failed attempt of a saga step and every incident goes into the offboarding's evidence and
 * the audit trail, with the system and the item it was about. A failed attempt's own transaction
 * rolls back, so it is written from the engine's history of the failure, in the transaction that
 * records the failure and the retries left.
 */
@Component
class SagaFailuresRecorded implements HistoryListener {

  private static final int MAX_MESSAGE = 500;

  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;

  SagaFailuresRecorded(OffboardingRepository offboardings, OffboardingEvents events) {
    this.offboardings = offboardings;
    this.events = events;
  }

  @Override
  public void handleEvent(HistoryEvent event) {
    if (!OffboardingProcess.KEY.equals(event.getProcessDefinitionKey())
        || event.getProcessInstanceId() == null) {
      return;
    }
    if (event instanceof HistoricJobLogEvent job
        && job.getState() == JobState.FAILED.getStateCode()) {
      // the log holds the retries the job had when it failed; this failure used one of them
      int retriesLeft = Math.max(0, job.getJobRetries() - 1);
      record(
          event,
          job.getActivityId(),
          job.getExecutionId(),
          retriesLeft,
          false,
          job.getJobExceptionMessage());
    } else if (event instanceof HistoricIncidentEventEntity incident
        && HistoryEventTypes.INCIDENT_CREATE.getEventName().equals(incident.getEventType())) {
      record(
          event,
          incident.getActivityId(),
          incident.getExecutionId(),
          0,
          true,
          incident.getIncidentMessage());
    }
  }

  private void record(
      HistoryEvent event,
      String step,
      String executionId,
      int retriesLeft,
      boolean incident,
      String message) {
    Optional<Offboarding> offboarding =
        offboardings.findByProcessInstance(event.getProcessInstanceId());
    if (offboarding.isEmpty()) {
      return;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    Object system = variableOf(executionId, OffboardingProcess.SYSTEM);
    Object batch = variableOf(executionId, OffboardingProcess.BATCH);
    if (system == null && batch instanceof String b && b.lastIndexOf('#') > 0) {
      system = b.substring(0, b.lastIndexOf('#'));
      details.put("batch", b);
    }
    Object item = variableOf(executionId, OffboardingProcess.ITEM);
    Long itemId = item instanceof Number n ? n.longValue() : null;
    Optional<Item> about =
        itemId == null
            ? Optional.empty()
            : offboardings
                .item(itemId)
                .filter(i -> i.offboardingId().equals(offboarding.get().id()));
    details.put("system", system != null ? system : about.map(Item::system).orElse(null));
    about.ifPresent(i -> details.put("target", i.target()));
    details.put("retriesLeft", retriesLeft);
    String error = shorten(message);
    details.put("error", error);
    offboardings.insertFailure(
        offboarding.get().id(),
        Offboardings.now(),
        step == null ? "?" : step,
        (String) details.get("system"),
        about.map(Item::id).orElse(null),
        retriesLeft,
        incident,
        error);
    events.failed(offboarding.get(), step, details, incident);
  }

  private static Object variableOf(String executionId, String name) {
    if (executionId == null || Context.getCommandContext() == null) {
      return null;
    }
    ExecutionEntity execution =
        Context.getCommandContext().getExecutionManager().findExecutionById(executionId);
    return execution == null ? null : execution.getVariable(name);
  }

  private static String shorten(String message) {
    return message == null || message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE) + "...";
  }
}
