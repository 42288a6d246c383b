package io.portcullis.offboarding;

import io.portcullis.kernel.RequestId;
import io.portcullis.request.AccessOfLeavers;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Ends one active just-in-time grant of the leaver through its own process: the request records the
 * offboarding as who ended it and why, and its revoke step (with its own retries and incident)
 * takes the access away, so the request's history stays whole. A grant that ended meanwhile needs
 * nothing.
 */
@Component("endGrant")
class EndGrant implements JavaDelegate {

  static final String REASON = "offboarding";

  private final SagaItems items;
  private final OffboardingRepository offboardings;
  private final AccessOfLeavers access;

  EndGrant(SagaItems items, OffboardingRepository offboardings, AccessOfLeavers access) {
    this.items = items;
    this.offboardings = offboardings;
    this.access = access;
  }

  @Override
  public void execute(DelegateExecution execution) {
    SagaItems.Work work = items.of(execution, OffboardingProcess.TASK_END_GRANT, Item.Kind.GRANT);
    access
        .endGrant(RequestId.of(work.item().requestId()), endedBy(work.offboarding()), REASON)
        .ifPresent(
            status ->
                offboardings.markDone(
                    work.item().id(),
                    Offboardings.now(),
                    "had already ended (" + status + ") when the offboarding came to it"));
  }

  /** How a request names the offboarding that ended it. */
  static String endedBy(Offboarding o) {
    return "offboarding:" + o.id();
  }
}
