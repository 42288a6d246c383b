package io.portcullis.request;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Grants exactly what was approved: requester, resource and duration are read from the read model,
 * written when the request opened, never from process variables that someone could have changed.
 * Whether the grant is still owed (approved, not yet granted or ended) is checked before the connector
 * is called, so a replayed step changes nothing in the target. Then reads the access back; a grant that
 * did not take effect is a failure, not ACTIVE.
 */
@Component("grantAccess")
public class GrantAccess implements JavaDelegate {

  /** FAILED: a grant whose incident an operator retries. */
  private static final Set<RequestStatus> OWED = Set.of(RequestStatus.PENDING, RequestStatus.FAILED);

  private final BoundRequests bound;
  private final AccessRequestRepository requests;
  private final Connectors connectors;
  private final RequestEvents events;

  public GrantAccess(BoundRequests bound, AccessRequestRepository requests, Connectors connectors, RequestEvents events) {
    this.bound = bound;
    this.requests = requests;
    this.connectors = connectors;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest request = owedGrant(bound, requests, events, execution, AccessProcess.TASK_GRANT);
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

  /**
   * The request of this instance, locked against other steps on the same access, if a grant is still
   * owed to it: approved, and neither granted nor ended. Otherwise the step is refused, and audited,
   * before anything reaches the target.
   */
  static AccessRequest owedGrant(BoundRequests bound, AccessRequestRepository requests, RequestEvents events,
      DelegateExecution execution, String step) {
    AccessRequest request = bound.of(execution.getProcessInstanceId(), step);
    requests.lockAccessOf(request);
    AccessRequest current = requests.find(request.id()).orElseThrow();
    String why = !OWED.contains(current.status()) ? "the request is " + current.status() + "; no grant is owed"
        : !current.isApproved() ? "the request has no approval on record; no grant is owed" : null;
    if (why != null) {
      events.stepNotOwed(current, step, why);
      throw new StepNotOwedException("request " + current.id() + ": " + why);
    }
    return current;
  }
}
