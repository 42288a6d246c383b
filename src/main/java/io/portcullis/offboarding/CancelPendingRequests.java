package io.portcullis.offboarding;

import io.portcullis.request.AccessOfLeavers;
import io.portcullis.request.AccessRequest;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Cancels the leaver's requests that were not granted: nobody should decide, or be granted, what a
 * leaver asked for. The evidence says what really happened to each: cancelled while it was being
 * decided; approved already, so it ends CANCELLED before its grant, at the step that refuses a
 * leaver; closed here, because no decision could reach it any more; its grant attempted meanwhile,
 * so it is no pending request but a grant (the target may hold it), ended through its request's
 * revoke; or no longer pending.
 */
@Component("cancelPendingRequests")
class CancelPendingRequests implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final AccessOfLeavers access;

  CancelPendingRequests(
      BoundOffboardings bound, OffboardingRepository offboardings, AccessOfLeavers access) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.access = access;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o =
        bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_CANCEL_REQUESTS);
    int round = offboardings.round(o.id());
    Instant now = Offboardings.now();
    for (AccessRequest request : access.pendingRequests(o.username())) {
      AccessOfLeavers.Cancellation cancelled =
          access.cancel(request.id(), EndGrant.endedBy(o), EndGrant.REASON);
      offboardings.insertDone(
          Item.found(
              o.id(),
              round,
              Item.Kind.PENDING_REQUEST,
              Item.PORTCULLIS,
              request.resource().value(),
              request.id().value(),
              now),
          now,
          how(cancelled));
    }
  }

  static String how(AccessOfLeavers.Cancellation cancelled) {
    return switch (cancelled.how()) {
      case NOW -> "cancelled while it was being decided";
      case BEFORE_START ->
          "approved, waiting for its scheduled start: cancelled before it, nothing granted";
      case AT_GRANT ->
          "approved already: cancelled before its grant, by the step that refuses a leaver";
      case REVOKE -> "its grant was attempted: ended through its revoke";
      case CLOSED ->
          cancelled.approved()
              ? "approved, but its process had ended before its grant: closed CANCELLED by the offboarding"
              : "never approved, and no decision could reach it any more (its process had left its approval stages): "
                  + "closed CANCELLED by the offboarding";
      case NOT_PENDING -> "no longer pending (" + cancelled.status() + "): nothing to cancel";
    };
  }
}
