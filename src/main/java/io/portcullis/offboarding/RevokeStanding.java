package io.portcullis.offboarding;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Removes one standing membership of the leaver, one that no request of Portcullis gave, and reads it
 * back as gone: offboarding is the one path that takes standing access away (DESIGN rule 9). Revoking
 * what is already gone succeeds, so a step repeated after a crash changes nothing.
 */
@Component("revokeStanding")
class RevokeStanding implements JavaDelegate {

  private final SagaItems items;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final Connectors connectors;

  RevokeStanding(SagaItems items, OffboardingRepository offboardings, OffboardingEvents events, Connectors connectors) {
    this.items = items;
    this.offboardings = offboardings;
    this.events = events;
    this.connectors = connectors;
  }

  @Override
  public void execute(DelegateExecution execution) {
    SagaItems.Work work = items.of(execution, OffboardingProcess.TASK_REVOKE_STANDING, Item.Kind.STANDING);
    Item item = work.item();
    String username = work.offboarding().username();
    Connector connector = connectors.named(item.system());
    connector.revoke(username, item.target());
    if (connector.holds(username, item.target())) {
      throw new ConnectorException(item.system() + " reported success, but " + username + " still holds " + item.target());
    }
    String how = "removed; read back as gone";
    offboardings.markDone(item.id(), Offboardings.now(), how);
    events.membershipRevoked(work.offboarding(), item, how);
  }
}
