package io.portcullis.offboarding;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import java.time.Instant;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Freezes the leaver in one system (one instance per system that can disable accounts): the
 * system's account is disabled and read back as disabled, and their sessions end where the system
 * keeps them. Portcullis itself refuses them already: {@link FindPerson} froze them in a step of
 * its own, so that the freeze never waits for a system that is down. Each call is idempotent, so a
 * retried or repeated step changes nothing more.
 */
@Component("freezeAccount")
class FreezeAccount implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final Connectors connectors;

  FreezeAccount(
      BoundOffboardings bound,
      OffboardingRepository offboardings,
      OffboardingEvents events,
      Connectors connectors) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.events = events;
    this.connectors = connectors;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_FREEZE);
    ConnectorName system =
        ConnectorName.of((String) execution.getVariable(OffboardingProcess.SYSTEM));
    AccountControl accounts =
        connectors
            .named(system, AccountControl.class)
            .orElseThrow(
                () ->
                    new IllegalStateException("connector " + system + " cannot disable accounts"));
    Instant now = Offboardings.now();
    Username username = o.username();
    int round = offboardings.round(o.id());
    boolean sessionsEnded;
    try {
      accounts.disable(username);
      if (!accounts.isDisabled(username)) {
        throw new ConnectorException(
            system + " reported success, but the account of " + o.username() + " is not disabled");
      }
      sessionsEnded = accounts.endSessions(username);
    } catch (ConnectorException e) {
      if (!LastAttempt.now()) {
        throw e;
      }
      // still failing after every retry: the admin's finding, and the other systems' part goes on
      offboardings.insertFinding(
          o.id(),
          round,
          system.value(),
          "the account of "
              + username
              + " could not be disabled after every retry: "
              + e.getMessage(),
          now);
      return;
    }
    offboardings.insertDone(
        Item.found(
            o.id(), round, Item.Kind.ACCOUNT, system.value(), o.username().value(), null, now),
        now,
        sessionsEnded ? "disabled; sessions ended" : "disabled; the system keeps no sessions");
    events.accountDisabled(o, system.value(), sessionsEnded);
  }
}
