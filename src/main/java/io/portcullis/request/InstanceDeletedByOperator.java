package io.portcullis.request;

import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * An operator who cancels or deletes a running access instance (Cockpit, the engine's REST API)
 * ends its access too. Cockpit may skip custom listeners when it cancels, so this watches the
 * engine's history events, which are written whatever is skipped, in the same transaction as the
 * deletion.
 *
 * <p>Access granted, or a grant attempted and not confirmed (its call may have timed out after the
 * target applied it: docs/architecture.md, rule 13), is owed a revoke: it is handed to {@code
 * processes/access-revocation.bpmn}, bound to the request in the read model, which revokes with
 * retries and an incident, like any other revoke, and the request ends REVOKED once the target
 * confirms. Deleting that instance too leaves the revoke owed: a new one starts, until the target
 * confirms; the access still ends for the first reason, by the first operator (the first ask to end
 * a request is the one kept). Only a request whose grant was never attempted is closed as CANCELLED
 * at once.
 */
@Component
class InstanceDeletedByOperator {

  /** Deleting either kind of instance while the access is live leaves a revoke owed. */
  private static final Set<String> OWNS_ACCESS =
      Set.of(AccessProcess.KEY, AccessProcess.REVOCATION_KEY);

  private final AccessRequestRepository requests;
  private final RuntimeService runtime;
  private final RequestEvents events;

  InstanceDeletedByOperator(
      AccessRequestRepository requests, @Lazy RuntimeService runtime, RequestEvents events) {
    this.requests = requests;
    this.runtime = runtime;
    this.events = events;
  }

  void handleEvent(HistoryEvent event) {
    if (!(event instanceof HistoricProcessInstanceEventEntity instance)
        || !HistoryEventTypes.PROCESS_INSTANCE_END.getEventName().equals(event.getEventType())
        || instance.getProcessDefinitionKey() == null
        || !OWNS_ACCESS.contains(instance.getProcessDefinitionKey())
        || !HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED.equals(instance.getState())) {
      return;
    }
    requests
        .findByProcessInstance(instance.getProcessInstanceId())
        .ifPresent(request -> ended(request, instance));
  }

  private void ended(AccessRequest bound, HistoricProcessInstanceEventEntity instance) {
    // a grant step running meanwhile holds this lock until it commits or fails: decide on what it
    // left
    requests.lockAccessOf(bound);
    AccessRequest request = requests.find(bound.id()).orElseThrow();
    String operator = operator();
    String reason =
        "process instance deleted by an operator"
            + (instance.getDeleteReason() == null ? "" : ": " + instance.getDeleteReason());
    if (request.status() == RequestStatus.ACTIVE || request.grantUnconfirmed()) {
      requests.requestEnd(request.id(), operator, reason);
      ProcessInstance revocation =
          Context.getCommandContext()
              .runWithoutAuthorization(
                  () ->
                      runtime.startProcessInstanceByKey(
                          AccessProcess.REVOCATION_KEY, request.id().value()));
      requests.bindRevocation(revocation.getId(), request.id());
    } else if (request.status() == RequestStatus.PENDING
        || request.status() == RequestStatus.SCHEDULED
        || request.status() == RequestStatus.FAILED) {
      // never attempted: nothing reached the target
      if (requests.markEnded(
          request.id(),
          List.of(RequestStatus.PENDING, RequestStatus.SCHEDULED, RequestStatus.FAILED),
          RequestStatus.CANCELLED,
          RequestLifecycle.now(),
          operator,
          reason)) {
        events.closed(request, RequestStatus.CANCELLED, operator, reason);
      }
    }
    // otherwise it has ended already: nothing is owed
  }

  private static String operator() {
    Authentication authentication = Context.getCommandContext().getAuthentication();
    return authentication == null ? "system" : authentication.getUserId();
  }
}
