package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Starts the access clock just before the grant is first attempted (docs/architecture.md, rule 13:
 * an attempted write counts as done until the target says otherwise). From the moment this step
 * commits, the grant may reach the target: the approved time runs from now ({@code expiresAt}), and
 * every way out of the request, which the process attaches to "Grant access", runs the owed revoke.
 *
 * <p>Committed before the grant's first connector call, and not a write inside the grant step: that
 * step's transaction rolls back when the call fails (a timeout whose write the target still
 * applies), and dies with its node when the node is killed between the call and the commit; a
 * record made there would be lost exactly when it matters. A record in a transaction of its own
 * inside the grant step would survive, but could not touch the request's row (the step holds its
 * lock), would take a second connection per grant, and would come too late for the process: the
 * expiry timer that ends a grant still retrying needs its date when "Grant access" is entered,
 * before the grant step runs.
 *
 * <p>It calls no outside system, so it runs in the transaction of the standing-access check, the
 * async step before it ({@link CheckStandingAccess}), not in a job of its own (issue 31: a job and
 * a commit fewer per request): the two commit together before the grant's job exists, and a crash
 * before that commit loses both, with nothing attempted, and repeats both. Each stays idempotent on
 * its own through the request's row (the check keeps its first answer, the clock its first start),
 * so an operator who starts either again changes nothing.
 *
 * <p>A scheduled request's approved time counts from its start ({@code startAt}), not from the
 * attempt, when the attempt comes later: the access ends at the start plus the approved duration.
 *
 * <p>Only the first start counts: run again (an operator moving the token back, a retry), it keeps
 * the first time, so the access never lasts longer than approved.
 */
@Component("startAccessClock")
public class StartAccessClock implements JavaDelegate {

  private final OwedGrants owed;
  private final AccessRequestRepository requests;
  private final ApprovalChains approvals;

  StartAccessClock(OwedGrants owed, AccessRequestRepository requests, ApprovalChains approvals) {
    this.owed = owed;
    this.requests = requests;
    this.approvals = approvals;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest request = owed.of(execution, AccessProcess.TASK_START_CLOCK);
    owed.refuseLeaver(request);
    if (!requests.standingAccessChecked(request.id())) {
      throw new IllegalStateException(
          "request "
              + request.id()
              + " has no standing-access check on record; nothing is granted");
    }
    Instant expiresAt = start(requests, approvals, request);
    execution.setVariable(AccessProcess.EXPIRES_AT, Date.from(expiresAt));
  }

  /** Starts the clock unless it runs already; returns when the access ends. */
  static Instant start(
      AccessRequestRepository requests, ApprovalChains approvals, AccessRequest request) {
    if (request.expiresAt() == null) {
      Instant attempt =
          request.grantAttemptedAt() != null ? request.grantAttemptedAt() : RequestLifecycle.now();
      // a scheduled request's time counts from its start, even when the grant comes a little later
      // (the job's pick-up, a retry): its window never outlasts the start plus the approved time
      Instant from =
          request.startAt() != null && request.startAt().isBefore(attempt)
              ? request.startAt()
              : attempt;
      // as asked, or the shorter duration an approver allowed
      requests.startGrantClock(
          request.id(),
          attempt,
          from.plus(approvals.of(request.id()).orElseThrow().approvedDuration().value()));
    }
    return requests.find(request.id()).orElseThrow().expiresAt();
  }
}
