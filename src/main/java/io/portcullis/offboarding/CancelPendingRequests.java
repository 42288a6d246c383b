package io.portcullis.offboarding;

import io.portcullis.request.AccessOfLeavers;
import io.portcullis.request.AccessRequest;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Cancels the leaver's requests that were not granted: nobody should decide, or be granted, what a
 * leaver asked for. One being decided ends CANCELLED now; one approved and on its way ends CANCELLED
 * before its grant, at the step that refuses a frozen requester. One whose grant was attempted is no
 * pending request but a grant (the target may hold it): it was ended as one, through its request's revoke.
 */
@Component("cancelPendingRequests")
class CancelPendingRequests implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final AccessOfLeavers access;

  CancelPendingRequests(BoundOffboardings bound, OffboardingRepository offboardings, AccessOfLeavers access) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.access = access;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_CANCEL_REQUESTS);
    int round = offboardings.round(o.id());
    Instant now = Offboardings.now();
    for (AccessRequest request : access.pendingRequests(o.username())) {
      AccessOfLeavers.Cancel how = access.cancel(request.id(), EndGrant.endedBy(o), EndGrant.REASON);
      offboardings.insertDone(Item.found(o.id(), round, Item.Kind.PENDING_REQUEST, Item.PORTCULLIS, request.resource(), request.id(), now),
          now, switch (how) {
            case NOW -> "cancelled";
            case AT_GRANT -> "approved already: cancelled before its grant, by the step that refuses a leaver";
            case REVOKE -> "its grant was attempted: ended through its revoke";
            case NOT_PENDING -> "granted or ended meanwhile: nothing to cancel";
          });
    }
  }
}
