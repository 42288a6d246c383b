package io.portcullis.offboarding;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.Discovery;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.request.AccessOfLeavers;
import io.portcullis.request.AccessRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Asks one system (one instance per system that can discover) for everything the leaver holds
 * there, whoever gave it, and records each thing found: an active just-in-time grant of Portcullis
 * is a GRANT, to be ended through its own request; anything else is STANDING, to be removed by the
 * saga. A target that a grant gave but that the person held before the grant is both: the grant
 * ends, and the standing membership goes too (offboarding is the one path that removes standing
 * access, docs/architecture.md, rule 9).
 */
@Component("discoverHoldings")
class DiscoverHoldings implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final Connectors connectors;
  private final AccessOfLeavers access;

  DiscoverHoldings(
      BoundOffboardings bound,
      OffboardingRepository offboardings,
      OffboardingEvents events,
      Connectors connectors,
      AccessOfLeavers access) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.events = events;
    this.connectors = connectors;
    this.access = access;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_DISCOVER);
    ConnectorName system =
        ConnectorName.of((String) execution.getVariable(OffboardingProcess.SYSTEM));
    Discovery discovery =
        connectors
            .named(system, Discovery.class)
            .orElseThrow(
                () ->
                    new IllegalStateException("connector " + system + " cannot discover holdings"));
    Connector connector = connectors.named(system);
    List<AccessRequest> grants =
        access.activeGrants(o.username()).stream()
            .filter(g -> g.connector().equals(system))
            .toList();
    int round = offboardings.round(o.id());
    Instant now = Offboardings.now();
    List<Item> found = new ArrayList<>();
    for (AccessRequest grant : grants) {
      found.add(
          Item.found(
              o.id(),
              round,
              Item.Kind.GRANT,
              system.value(),
              grant.target().value(),
              grant.id().value(),
              now));
    }
    SortedSet<Target> holdings;
    try {
      holdings = discovery.holdings(o.username());
    } catch (ConnectorException e) {
      if (!LastAttempt.now()) {
        throw e;
      }
      // still failing after every retry: Portcullis' own grants there still end through their
      // requests (which retry
      // on their own); what else the person holds there is the admin's finding
      offboardings.insertItems(found);
      offboardings.insertFinding(
          o.id(),
          round,
          system.value(),
          "what "
              + o.username()
              + " holds could not be discovered after every retry: "
              + e.getMessage(),
          now);
      return;
    }
    for (Target target : holdings) {
      // the connector says when two of its targets are the same access
      boolean givenByAGrant =
          grants.stream()
              .anyMatch(g -> !g.accessPreexisted() && connector.sameTarget(g.target(), target));
      if (!givenByAGrant) {
        found.add(
            Item.found(
                o.id(), round, Item.Kind.STANDING, system.value(), target.value(), null, now));
      }
    }
    offboardings.insertItems(found);
    events.discovered(o, round, system.value(), holdings, grants.size());
  }
}
