package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.audit.AuditEvent;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.springframework.stereotype.Component;

/**
 * Grants exactly what was approved: requester, resource and duration are read from the read model,
 * written when the request opened, never from process variables that someone could have changed.
 * Whether the grant is still owed (approved, not yet granted or ended) is checked before the
 * connector is called, so a replayed step changes nothing in the target. Then reads the access
 * back; a grant that did not take effect is a failure, not ACTIVE.
 *
 * <p>A request for several resources grants each in turn, each idempotent, so a retry grants again
 * what an earlier attempt did and changes nothing there. All or none: when one of them fails on the
 * job's last attempt, the step records that resource and throws the process's "grant failed" error,
 * whose way out revokes every resource (read back) and ends the request FAILED naming it.
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
    List<AccessRequest> parts = requests.partsOf(request);
    for (AccessRequest part : parts) {
      try {
        grant(part);
      } catch (RuntimeException e) {
        if (parts.size() > 1 && lastAttempt()) {
          // all or none: the request ends through the revoke of every resource, FAILED naming this
          String why =
              "the grant of " + part.resource() + " failed after every retry: " + e.getMessage();
          requests.recordFailedResource(request.id(), part.resource());
          requests.requestEnd(request.id(), AuditEvent.SYSTEM, why);
          throw new BpmnError(AccessProcess.ERROR_GRANT_FAILED, why);
        }
        throw e;
      }
    }
    Instant grantedAt = RequestLifecycle.now();
    if (!requests.markActive(request.id(), grantedAt, expiresAt)) {
      throw new IllegalStateException(
          "request " + request.id() + " is " + request.status() + ", not PENDING");
    }
    events.granted(requests.find(request.id()).orElseThrow(), grantedAt, expiresAt);
    execution.setVariable(AccessProcess.EXPIRES_AT, Date.from(expiresAt));
  }

  /** Grants one access, idempotently, and reads it back. */
  private void grant(AccessRequest access) {
    Connector connector = connectors.named(access.connector());
    connector.grant(access.requester(), access.target());
    if (!connector.holds(access.requester(), access.target())) {
      throw new ConnectorException(
          access.connector()
              + " reported success, but "
              + access.requester()
              + " does not hold "
              + access.target());
    }
  }

  /**
   * Whether this attempt is the job's last: its retries count it, so at 1 a failure now would open
   * an incident.
   */
  private static boolean lastAttempt() {
    CommandContext command = Context.getCommandContext();
    JobEntity job = command == null ? null : command.getCurrentJob();
    return job != null && job.getRetries() <= 1;
  }
}
