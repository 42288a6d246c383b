package io.portcullis.request;

import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.history.JobState;
import org.camunda.bpm.engine.impl.history.event.HistoricIncidentEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoricJobLogEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.springframework.stereotype.Component;

/**
 * Every failed attempt of an access step (each one is retried) and every incident, opened or
 * resolved, goes into the audit trail. A failed attempt's own transaction rolls back, so its event
 * is written from the engine's history of the failure, in the transaction that records the failure
 * and the retries left.
 */
@Component
class StepFailuresAudited {

  private static final Set<String> PROCESSES =
      Set.of(AccessProcess.KEY, AccessProcess.REVOCATION_KEY);
  private static final int MAX_MESSAGE = 500;

  private final AccessRequestRepository requests;
  private final RequestEvents events;

  StepFailuresAudited(AccessRequestRepository requests, RequestEvents events) {
    this.requests = requests;
    this.events = events;
  }

  void handleEvent(HistoryEvent event) {
    // events of deployments and other operations carry no process definition key
    if (event.getProcessDefinitionKey() == null
        || !PROCESSES.contains(event.getProcessDefinitionKey())
        || event.getProcessInstanceId() == null) {
      return;
    }
    // job log events carry their kind as a state code, not as an event type
    if (event instanceof HistoricJobLogEvent job
        && job.getState() == JobState.FAILED.getStateCode()) {
      // the log holds the retries the job had when it failed; this failure used one of them
      int retriesLeft = Math.max(0, job.getJobRetries() - 1);
      requestOf(event)
          .ifPresent(
              r ->
                  events.stepFailed(
                      r, job.getActivityId(), retriesLeft, shorten(job.getJobExceptionMessage())));
    } else if (event instanceof HistoricIncidentEventEntity incident) {
      if (HistoryEventTypes.INCIDENT_CREATE.getEventName().equals(incident.getEventType())) {
        requestOf(event)
            .ifPresent(
                r ->
                    events.incident(
                        r, incident.getActivityId(), true, shorten(incident.getIncidentMessage())));
      } else if (HistoryEventTypes.INCIDENT_RESOLVE
          .getEventName()
          .equals(incident.getEventType())) {
        requestOf(event).ifPresent(r -> events.incident(r, incident.getActivityId(), false, null));
      }
    }
  }

  private Optional<AccessRequest> requestOf(HistoryEvent event) {
    return requests.findByProcessInstance(event.getProcessInstanceId());
  }

  private static String shorten(String message) {
    return message == null || message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE) + "...";
  }
}
