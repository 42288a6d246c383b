package io.portcullis.credential;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connector;
import io.portcullis.credential.CredentialStore.Revoked;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Instant;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * An {@code api-key} instance. Its target is the scope the key carries ({@code ci:deploy}), which a
 * resource server reads at introspection. What grant, revoke and holds mean for a credential:
 *
 * <ul>
 *   <li>account control (offboarding's freeze) disables the holder's account in this instance:
 *       introspection refuses all their keys from it until it is enabled again;
 *   <li>grant opens a slot for the holder and target: the request's owner may now take one key for
 *       it ({@code POST /api/access-requests/{id}/credential}); nothing secret exists yet;
 *   <li>revoke closes the slot and revokes every key issued in it, in the revoke step's
 *       transaction, so a resource server's next introspection says {@code active: false} from the
 *       instant that step commits;
 *   <li>holds is whether the slot is open.
 * </ul>
 *
 * Each is idempotent (docs/architecture.md, rule 3). A key also dies on its own at its grant's end,
 * and while its request is not ACTIVE ({@link Introspection}): where another live grant of the same
 * access keeps the slot open (rule 9), the ended grant's key is still refused.
 */
final class ApiKeyConnector implements Connector, AccountControl {

  private final ConnectorName name;
  private final CredentialStore store;
  private final CredentialEvents events;

  ApiKeyConnector(ConnectorName name, CredentialStore store, CredentialEvents events) {
    this.name = name;
    this.store = store;
    this.events = events;
  }

  @Override
  public ConnectorName name() {
    return name;
  }

  @Override
  public void validateTarget(Target target) {
    if (!target.value().matches("[A-Za-z0-9:._/-]{1,200}")) {
      throw new IllegalArgumentException(
          "an api-key target is the scope its key carries: letters, digits and : . _ / -, at most 200");
    }
  }

  @Override
  public void grant(Username username, Target target) {
    store.openSlot(name, username, target, now());
  }

  @Override
  public void revoke(Username username, Target target) {
    for (Revoked key : store.closeSlot(name, username, target, now())) {
      events.revoked(key, name, username);
    }
  }

  @Override
  public boolean holds(Username username, Target target) {
    return store.slotOpen(name, username, target);
  }

  /**
   * Offboarding's freeze: from this commit introspection refuses every key of the holder from this
   * instance, before the revokes end their grants one by one.
   */
  @Override
  public void disable(Username username) {
    store.disableAccount(name, username, now());
  }

  @Override
  public void enable(Username username) {
    store.enableAccount(name, username);
  }

  @Override
  public boolean isDisabled(Username username) {
    return store.accountDisabled(name, username);
  }

  /**
   * A key handed out is what this system keeps alive for a person, and a disabled account's keys
   * are refused from the disable on: they are ended now.
   */
  @Override
  public boolean endSessions(Username username) {
    return true;
  }

  private static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
