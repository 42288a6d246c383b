package io.portcullis.offboarding;

import io.portcullis.connector.Connectors;
import io.portcullis.connector.Discovery;
import io.portcullis.request.AccessOfLeavers;
import io.portcullis.request.AccessRequest;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Adds to what discovery found the leaver's active grants in systems that cannot discover
 * (Portcullis knows those grants from its own records), so that every grant is ended whatever its
 * system can tell.
 */
@Component("planRevokes")
class PlanRevokes implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final Connectors connectors;
  private final AccessOfLeavers access;

  PlanRevokes(
      BoundOffboardings bound,
      OffboardingRepository offboardings,
      Connectors connectors,
      AccessOfLeavers access) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.connectors = connectors;
    this.access = access;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_PLAN);
    int round = offboardings.round(o.id());
    Instant now = Offboardings.now();
    var discovering = connectors.withCapability(Discovery.class).keySet();
    List<AccessRequest> undiscoverable =
        access.activeGrants(o.username()).stream()
            .filter(g -> !discovering.contains(g.connector()))
            .toList();
    offboardings.insertItems(
        undiscoverable.stream()
            .map(
                g ->
                    Item.found(
                        o.id(),
                        round,
                        Item.Kind.GRANT,
                        g.connector().value(),
                        g.target().value(),
                        g.id().value(),
                        now))
            .toList());
  }
}
