package io.portcullis.request;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Ends a grant, at expiry or on request. The access is taken away unless something else still needs it:
 * another live grant of Portcullis, or a standing membership that was there before this grant. The
 * request stays ACTIVE until the target confirms that the access is gone.
 */
@Component("revokeAccess")
public class RevokeAccess implements JavaDelegate {

  private final AccessRequestRepository requests;
  private final Connectors connectors;
  private final RequestEvents events;

  public RevokeAccess(AccessRequestRepository requests, Connectors connectors, RequestEvents events) {
    this.requests = requests;
    this.connectors = connectors;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest request = requests.find(RequestLifecycle.requestId(execution)).orElseThrow();
    requests.lockAccessOf(request);
    String keptBecause = request.accessPreexisted() ? "standing access that predates this grant"
        : requests.anotherGrantNeeds(request) ? "another live grant gives the same access" : null;
    if (keptBecause == null) {
      Connector connector = connectors.named(request.connector());
      connector.revoke(request.requester(), request.target());
      if (connector.holds(request.requester(), request.target())) {
        throw new ConnectorException(request.connector() + " reported success, but " + request.requester()
            + " still holds " + request.target());
      }
    }
    RequestStatus outcome = RequestStatus.valueOf((String) execution.getVariable(AccessProcess.OUTCOME));
    String endedBy = outcome == RequestStatus.REVOKED ? (String) execution.getVariable(AccessProcess.ENDED_BY) : null;
    String reason = outcome == RequestStatus.REVOKED ? (String) execution.getVariable(AccessProcess.END_REASON) : "expired";
    if (requests.markEnded(request.id(), List.of(RequestStatus.ACTIVE), outcome, RequestLifecycle.now(), endedBy, reason)) {
      events.ended(request, outcome, endedBy, reason, keptBecause);
    }
  }
}
