package io.portcullis.offboarding;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Removes a batch of the leaver's standing memberships in one system, memberships that no request
 * of Portcullis gave, and reads each back as gone: offboarding is the one path that takes standing
 * access away (docs/architecture.md, rule 9). Revoking what is already gone succeeds, so a batch
 * repeated after a crash or a failure changes nothing it did already; what it did is recorded with
 * the step's commit.
 */
@Component("revokeStanding")
class RevokeStanding implements JavaDelegate {

  private final SagaItems items;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final Connectors connectors;

  RevokeStanding(
      SagaItems items,
      OffboardingRepository offboardings,
      OffboardingEvents events,
      Connectors connectors) {
    this.items = items;
    this.offboardings = offboardings;
    this.events = events;
    this.connectors = connectors;
  }

  /** How many revokes one step makes at most. */
  static final int BATCH = 25;

  @Override
  public void execute(DelegateExecution execution) {
    SagaItems.Batch batch =
        items.batchOf(execution, OffboardingProcess.TASK_REVOKE_STANDING, BATCH);
    Username username = batch.offboarding().username();
    Connector connector = connectors.named(ConnectorName.of(batch.system()));
    for (Item item : batch.items()) {
      if (item.doneAt() != null) {
        continue;
      }
      connector.revoke(username, Target.of(item.target()));
      if (connector.holds(username, Target.of(item.target()))) {
        throw new ConnectorException(
            item.system() + " reported success, but " + username + " still holds " + item.target());
      }
      String how = "removed; read back as gone";
      offboardings.markDone(item.id(), Offboardings.now(), how);
      events.membershipRevoked(batch.offboarding(), item, how);
    }
  }
}
