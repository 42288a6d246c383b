package io.portcullis.scim;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.offboarding.Offboarding;
import io.portcullis.offboarding.OffboardingStatus;
import io.portcullis.offboarding.Offboardings;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Whether a person is {@code active}, as the identity provider reads it back: not while their latest
 * offboarding is open or once it completed (whatever the saga has done so far, they are leaving or
 * gone), nor when a system that Portcullis controls accounts in says their account is disabled. A
 * cancelled offboarding leaves them active; a system that cannot tell (it does not know the person, or
 * does not answer) changes nothing.
 */
@Component
class PersonActivity {

  private final Offboardings offboardings;
  private final Connectors connectors;

  PersonActivity(Offboardings offboardings, Connectors connectors) {
    this.offboardings = offboardings;
    this.connectors = connectors;
  }

  boolean active(String username) {
    List<Offboarding> latest = offboardings.list(username, null, 0, 1);
    if (!latest.isEmpty() && (latest.get(0).status().open() || latest.get(0).status() == OffboardingStatus.COMPLETED)) {
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
