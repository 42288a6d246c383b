package io.portcullis.request;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricVariableInstance;

/**
 * An operator who cancels or deletes a running access instance (Cockpit, the engine's REST API) ends its
 * access too. Cockpit may skip custom listeners when it cancels, so this watches the engine's history
 * events, which are written whatever is skipped, in the same transaction as the deletion.
 *
 *
 * <p>Access already granted is owed a revoke: it is handed to {@code processes/access-revocation.bpmn},
 * which revokes with retries and an incident, like any other revoke. Deleting that instance too leaves
 * the revoke owed: a new one starts, until the directory confirms. A request not yet granted is closed
 * as CANCELLED.
 */
@Component
class InstanceDeletedByOperator {

  /** Deleting either kind of instance while the access is live leaves a revoke owed. */
  private static final java.util.Set<String> OWNS_ACCESS = java.util.Set.of(AccessProcess.KEY, AccessProcess.REVOCATION_KEY);

  private final AccessRequestRepository requests;
  private final RuntimeService runtime;
  private final HistoryService history;
  private final RequestEvents events;

  InstanceDeletedByOperator(AccessRequestRepository requests, @Lazy RuntimeService runtime, @Lazy HistoryService history,
      RequestEvents events) {
    this.requests = requests;
    this.history = history;
    this.runtime = runtime;
    this.events = events;
  }

  void handleEvent(HistoryEvent event) {
    if (!(event instanceof HistoricProcessInstanceEventEntity instance)
        || !HistoryEventTypes.PROCESS_INSTANCE_END.getEventName().equals(event.getEventType())
        || !OWNS_ACCESS.contains(instance.getProcessDefinitionKey())
        || !HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED.equals(instance.getState())
        || instance.getBusinessKey() == null) {
      return;
    }
    requests.find(instance.getBusinessKey()).ifPresent(request -> ended(request, instance));
  }

  private void ended(AccessRequest request, HistoricProcessInstanceEventEntity instance) {
    String operator = operator();
    String reason = "process instance deleted by an operator"
        + (instance.getDeleteReason() == null ? "" : ": " + instance.getDeleteReason());
    if (AccessProcess.REVOCATION_KEY.equals(instance.getProcessDefinitionKey())) {
      // the owed revoke was deleted: the access still ends for the first reason, by the first operator
      operator = (String) variableOf(instance, AccessProcess.ENDED_BY, operator);
      reason = (String) variableOf(instance, AccessProcess.END_REASON, reason);
    }
    switch (request.status()) {
      case PENDING, FAILED -> {
        if (requests.markEnded(request.id(), List.of(RequestStatus.PENDING, RequestStatus.FAILED), RequestStatus.CANCELLED,
            RequestLifecycle.now(), operator, reason)) {
          events.closed(request, RequestStatus.CANCELLED, operator, reason);
        }
      }
      case ACTIVE -> {
        Map<String, Object> variables = new HashMap<>();
        variables.put(AccessProcess.REQUEST_ID, request.id());
        variables.put(AccessProcess.OUTCOME, RequestStatus.REVOKED.name());
        variables.put(AccessProcess.ENDED_BY, operator);
        variables.put(AccessProcess.END_REASON, reason);
        Context.getCommandContext().runWithoutAuthorization(() ->
            runtime.startProcessInstanceByKey(AccessProcess.REVOCATION_KEY, request.id(), variables));
      }
      default -> {
        // already ended: nothing is owed
      }
    }
  }

  private Object variableOf(HistoricProcessInstanceEventEntity instance, String name, Object fallback) {
    HistoricVariableInstance variable = history.createHistoricVariableInstanceQuery()
        .processInstanceId(instance.getProcessInstanceId()).variableName(name).singleResult();
    return variable == null || variable.getValue() == null ? fallback : variable.getValue();
  }

  private static String operator() {
    Authentication authentication = Context.getCommandContext().getAuthentication();
    return authentication == null ? "system" : authentication.getUserId();
  }
}
