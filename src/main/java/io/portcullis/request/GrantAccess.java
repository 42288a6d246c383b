package io.portcullis.request;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Grants exactly what was approved: requester, resource and duration are read from the read model,
 * written when the request opened, never from process variables that someone could have changed.
 * Then reads the access back; a grant that did not take effect is a failure, not ACTIVE.
 */
@Component("grantAccess")
public class GrantAccess implements JavaDelegate {

  private final AccessRequestRepository requests;
  private final Connectors connectors;
  private final RequestEvents events;

  public GrantAccess(AccessRequestRepository requests, Connectors connectors, RequestEvents events) {
    this.requests = requests;
    this.connectors = connectors;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest request = requests.find(RequestLifecycle.requestId(execution)).orElseThrow();
    requests.lockAccessOf(request);
    if (!request.isApproved()) {
      throw new IllegalStateException("request " + request.id() + " has no approval on record; nothing is granted");
    }
    if (!requests.standingAccessChecked(request.id())) {
      throw new IllegalStateException("request " + request.id() + " has no standing-access check on record; nothing is granted");
    }
    Connector connector = connectors.named(request.connector());
    connector.grant(request.requester(), request.target());
    if (!connector.holds(request.requester(), request.target())) {
      throw new ConnectorException(request.connector() + " reported success, but " + request.requester()
          + " does not hold " + request.target());
    }
    Instant grantedAt = RequestLifecycle.now();
    Instant expiresAt = grantedAt.plus(request.duration());
    if (!requests.markActive(request.id(), grantedAt, expiresAt)) {
      throw new IllegalStateException("request " + request.id() + " is " + request.status() + ", not PENDING");
    }
    events.granted(request, grantedAt, expiresAt);
    execution.setVariable(AccessProcess.EXPIRES_AT, Date.from(expiresAt));
  }
}
