package io.portcullis.request;

import io.portcullis.request.BreakGlassReviews.Review;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.context.Context;
import org.springframework.stereotype.Component;

/**
 * "End the access" of {@code processes/break-glass-review.bpmn}, after a "revoke" review: the
 * access ends through the request's own revoke, as when someone revokes it through the API: the ask
 * (by the reviewer, for the review) is stored and the access process woken by {@code
 * AccessRevokeRequested}, in one transaction. An access that ended already, or is ending, has
 * nothing left to revoke; the review still flags the requester ({@link UnusualAccess}).
 */
@Component("revokeBrokenGlass")
class RevokeBrokenGlass implements JavaDelegate {

  private final BreakGlassReview review;
  private final AccessRequestRepository requests;

  RevokeBrokenGlass(BreakGlassReview review, AccessRequestRepository requests) {
    this.review = review;
    this.requests = requests;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Review bound = review.bound(execution.getProcessInstanceId());
    AccessRequest r = requests.find(bound.requestId()).orElseThrow();
    if (r.status() != RequestStatus.ACTIVE && !r.grantUnconfirmed()) {
      return;
    }
    requests.requestEnd(
        r.id(),
        bound.reviewedBy().value(),
        "revoked on review of its break-glass"
            + (bound.comment() == null ? "" : ": " + bound.comment()));
    var runtime = execution.getProcessEngineServices().getRuntimeService();
    try {
      Context.getCommandContext()
          .runWithoutAuthorization(
              () -> {
                runtime
                    .createMessageCorrelation(AccessProcess.MESSAGE_REVOKE)
                    .processInstanceId(r.processInstanceId())
                    .correlate();
                return null;
              });
    } catch (MismatchingMessageCorrelationException endingAlready) {
      // expiring or revoked at this very moment: its own revoke runs
    }
  }
}
