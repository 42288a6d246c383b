package io.portcullis.scim;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import org.springframework.stereotype.Component;

/**
 * Whether a person is {@code active}, as the identity provider reads it back: not when a system that
 * Portcullis controls accounts in says their account is disabled. A system that cannot tell (it does
 * not know the person, or does not answer) changes nothing.
 */
@Component
class PersonActivity {

  private final Connectors connectors;

  PersonActivity(Connectors connectors) {
    this.connectors = connectors;
  }

  boolean active(String username) {
    for (AccountControl accounts : connectors.withCapability(AccountControl.class).values()) {
      try {
        if (accounts.isDisabled(username)) {
          return false;
        }
      } catch (ConnectorException cannotTell) {
        // not known there, or no answer: another system, or the offboardings, may still say
      }
    }
    return true;
  }
}
