package io.portcullis.scim;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.Username;
import io.portcullis.offboarding.Offboardings;
import org.springframework.stereotype.Component;

/**
 * Whether a person is {@code active}, as the identity provider reads it back: not once they are
 * frozen or being frozen now (their offboarding runs, waits for an admin, or completed), nor when a
 * system that Portcullis controls accounts in says their account is disabled. An offboarding that
 * is only SCHEDULED leaves them active, since they still log in until its effective time (the
 * identity provider that deactivates them brings it forward to now); a cancelled one too. A system
 * that cannot tell (it does not know the person, or does not answer) changes nothing.
 */
@Component
class PersonActivity {

  private final Offboardings offboardings;
  private final Connectors connectors;

  PersonActivity(Offboardings offboardings, Connectors connectors) {
    this.offboardings = offboardings;
    this.connectors = connectors;
  }

  boolean active(Username username) {
    if (offboardings.frozenOrFreezing(username)) {
      return false;
    }
    for (AccountControl accounts : connectors.withCapability(AccountControl.class).values()) {
      try {
        if (accounts.isDisabled(username)) {
          return false;
        }
      } catch (ConnectorException cannotTell) {
        // not known there, or no answer: another system may still say
      }
    }
    return true;
  }
}
