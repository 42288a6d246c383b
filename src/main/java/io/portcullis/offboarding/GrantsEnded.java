package io.portcullis.offboarding;

import io.portcullis.request.AccessOfLeavers;
import io.portcullis.request.AccessOfLeavers.AccessEnded;
import java.util.Optional;
import org.camunda.bpm.engine.impl.MessageCorrelationBuilderImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hears a grant end, in the transaction of the revoke that ended it: records it on the leaver's
 * offboarding and, once no grant of theirs is left ACTIVE, wakes the saga that waits for them. The
 * saga checks for live grants with their rows locked, so a revoke that commits while the saga
 * decides to wait either is seen by that check or finds the saga waiting.
 */
@Component
class GrantsEnded {

  private final OffboardingRepository offboardings;
  private final AccessOfLeavers access;

  GrantsEnded(OffboardingRepository offboardings, AccessOfLeavers access) {
    this.offboardings = offboardings;
    this.access = access;
  }

  @EventListener
  void on(AccessEnded ended) {
    Optional<Offboarding> open = offboardings.findOpenFor(ended.requester());
    if (open.isEmpty() || Context.getCommandContext() == null) {
      return;
    }
    Offboarding o = open.get();
    offboardings.markGrantEnded(
        o.id(),
        ended.requestId(),
        Offboardings.now(),
        "ended through its request: " + ended.status());
    if (access.activeGrants(o.username()).isEmpty()
        && o.status() == OffboardingStatus.IN_PROGRESS) {
      new MessageCorrelationBuilderImpl(
              Context.getCommandContext(), OffboardingProcess.MESSAGE_GRANTS_ENDED)
          .processInstanceId(offboardings.processInstanceOf(o.id()))
          .correlateAll();
    }
  }
}
