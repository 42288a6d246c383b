package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.audit.AuditEvent;
import io.portcullis.security.LeavingPeople;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.BpmnError;
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

  private final OwedGrants owed;
  private final AccessRequestRepository requests;
  private final Connectors connectors;
  private final RequestEvents events;
  private final ApprovalChains approvals;
  private final LeavingPeople leaving;

  GrantAccess(OwedGrants owed, AccessRequestRepository requests, Connectors connectors, RequestEvents events,
      ApprovalChains approvals, LeavingPeople leaving) {
    this.leaving = leaving;
    this.approvals = approvals;
    this.owed = owed;
    this.requests = requests;
    this.connectors = connectors;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest request = owed.of(execution, AccessProcess.TASK_GRANT);
    if (leaving.frozen(request.requester())) {
      // approved before the requester left: the request ends CANCELLED, for the offboarding's reason if it gave one
      requests.requestEnd(request.id(), AuditEvent.SYSTEM, "the requester is being offboarded");
      throw new BpmnError(AccessProcess.ERROR_REQUESTER_LEFT, "the requester is being offboarded; nothing is granted");
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
    // as asked, or the shorter duration an approver allowed
    Instant expiresAt = grantedAt.plus(approvals.of(request.id()).orElseThrow().approvedDuration());
    if (!requests.markActive(request.id(), grantedAt, expiresAt)) {
      throw new IllegalStateException("request " + request.id() + " is " + request.status() + ", not PENDING");
    }
    events.granted(request, grantedAt, expiresAt);
    execution.setVariable(AccessProcess.EXPIRES_AT, Date.from(expiresAt));
  }
}
