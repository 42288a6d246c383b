package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
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
 * Whether the grant is still owed (approved, not yet granted or ended) is checked before the
 * connector is called, so a replayed step changes nothing in the target. Then reads the access
 * back; a grant that did not take effect is a failure, not ACTIVE.
 *
 * <p>The access ends when its clock says ({@link StartAccessClock}, committed before the first
 * attempt), not a duration after this success: a grant confirmed by a retry ends as early as the
 * first attempt's, and one confirmed after that time is revoked at once by the expiry timer, whose
 * date is then past.
 */
@Component("grantAccess")
public class GrantAccess implements JavaDelegate {

  private final OwedGrants owed;
  private final AccessRequestRepository requests;
  private final Connectors connectors;
  private final RequestEvents events;
  private final ApprovalChains approvals;

  GrantAccess(
      OwedGrants owed,
      AccessRequestRepository requests,
      Connectors connectors,
      RequestEvents events,
      ApprovalChains approvals) {
    this.approvals = approvals;
    this.owed = owed;
    this.requests = requests;
    this.connectors = connectors;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest request = owed.of(execution, AccessProcess.TASK_GRANT);
    // approved before the requester left: nothing more is granted, and the process ends the request
    owed.refuseLeaver(request);
    if (!requests.standingAccessChecked(request.id())) {
      throw new IllegalStateException(
          "request "
              + request.id()
              + " has no standing-access check on record; nothing is granted");
    }
    // an instance of the model before "Start the access clock" starts it here, in this step's
    // transaction
    Instant expiresAt =
        request.expiresAt() != null
            ? request.expiresAt()
            : StartAccessClock.start(requests, approvals, request);
    Connector connector = connectors.named(request.connector());
    connector.grant(request.requester(), request.target());
    if (!connector.holds(request.requester(), request.target())) {
      throw new ConnectorException(
          request.connector()
              + " reported success, but "
              + request.requester()
              + " does not hold "
              + request.target());
    }
    Instant grantedAt = RequestLifecycle.now();
    if (!requests.markActive(request.id(), grantedAt, expiresAt)) {
      throw new IllegalStateException(
          "request " + request.id() + " is " + request.status() + ", not PENDING");
    }
    events.granted(requests.find(request.id()).orElseThrow(), grantedAt, expiresAt);
    execution.setVariable(AccessProcess.EXPIRES_AT, Date.from(expiresAt));
  }
}
