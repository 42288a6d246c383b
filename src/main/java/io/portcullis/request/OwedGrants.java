package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.Chain;
import io.portcullis.audit.AuditEvent;
import io.portcullis.kernel.LeavingPeople;
import java.util.Set;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * Whether a grant is still owed to the request of a process instance: approved (every stage of its
 * chain reached its quorum, or the policy waived approval), and neither granted nor ended. The
 * steps that check or grant access ask this before any connector call, so a replayed step changes
 * nothing in the target.
 */
@Component
class OwedGrants {

  /** FAILED: a grant whose incident an operator retries. */
  private static final Set<RequestStatus> OWED =
      Set.of(RequestStatus.PENDING, RequestStatus.FAILED);

  private final BoundRequests bound;
  private final AccessRequestRepository requests;
  private final RequestEvents events;
  private final ApprovalChains approvals;
  private final LeavingPeople leaving;

  OwedGrants(
      BoundRequests bound,
      AccessRequestRepository requests,
      RequestEvents events,
      ApprovalChains approvals,
      LeavingPeople leaving) {
    this.leaving = leaving;
    this.bound = bound;
    this.requests = requests;
    this.events = events;
    this.approvals = approvals;
  }

  /**
   * The request of this instance, locked against other steps on the same access and against a drift
   * sweep's removal of its requester, if a grant is still owed to it. Otherwise the step is
   * refused, and audited, before anything reaches the target.
   */
  AccessRequest of(DelegateExecution execution, String step) {
    AccessRequest request = bound.of(execution.getProcessInstanceId(), step);
    // the person first, then the request (the order every locker keeps): a drift sweep holds the
    // person while it asks whether it may remove them and removes them, so a grant that has not
    // written its attempt yet waits for the removal and is granted after it, or went first and is
    // seen as live (a lock on the request's rows alone misses a grant that is not yet attempted)
    requests.lockQueueOf(request.requester());
    requests.lockAccessOf(request);
    AccessRequest current = requests.find(request.id()).orElseThrow();
    String why =
        !OWED.contains(current.status()) || current.endedAt() != null
            ? "the request is " + current.status() + "; no grant is owed"
            : !approvals.of(current.id()).map(Chain::approved).orElse(false)
                ? "the request has no approval on record; no grant is owed"
                : null;
    if (why != null) {
      events.stepNotOwed(current, step, why);
      throw new StepNotOwedException("request " + current.id() + ": " + why);
    }
    return current;
  }

  /**
   * A requester whom an offboarding froze after the approval gets nothing more: the request is
   * asked to end, for the offboarding's reason if it gave one first, and the step throws the
   * process's "requester left" error before any connector call. Before the access clock started,
   * nothing reached the target and the request ends CANCELLED; after it, a grant may have reached
   * it, and the request ends through the revoke.
   */
  void refuseLeaver(AccessRequest request) {
    if (leaving.frozen(request.requester())) {
      requests.requestEnd(request.id(), AuditEvent.SYSTEM, "the requester is being offboarded");
      throw new BpmnError(
          AccessProcess.ERROR_REQUESTER_LEFT,
          "the requester is being offboarded; nothing is granted");
    }
  }
}
