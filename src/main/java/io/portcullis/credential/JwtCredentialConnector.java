package io.portcullis.credential;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connector;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Duration;

/**
 * A {@code jwt-credential} instance. Grant, revoke and holds are the credential slot's, as for an
 * {@code api-key} ({@link ApiKeyConnector}, whose slot this one uses): revoke closes the slot and
 * revokes the hand-out, which kills its refresh tokens and every access token it gave at
 * introspection in the revoke step's transaction. The target is the scope the tokens carry. Its
 * account control is the slot's too: the freeze disables the holder's account in the instance.
 */
final class JwtCredentialConnector implements Connector, AccountControl {

  private final ApiKeyConnector slot;
  private final String audience;
  private final Duration tokenTtl;

  JwtCredentialConnector(ApiKeyConnector slot, String audience, Duration tokenTtl) {
    this.slot = slot;
    this.audience = audience;
    this.tokenTtl = tokenTtl;
  }

  String audience() {
    return audience;
  }

  Duration tokenTtl() {
    return tokenTtl;
  }

  @Override
  public ConnectorName name() {
    return slot.name();
  }

  @Override
  public void validateTarget(Target target) {
    slot.validateTarget(target);
  }

  @Override
  public void grant(Username username, Target target) {
    slot.grant(username, target);
  }

  @Override
  public void revoke(Username username, Target target) {
    slot.revoke(username, target);
  }

  @Override
  public boolean holds(Username username, Target target) {
    return slot.holds(username, target);
  }

  /**
   * Offboarding's freeze, as for an api-key instance: every token of the holder is refused from it.
   */
  @Override
  public void disable(Username username) {
    slot.disable(username);
  }

  @Override
  public void enable(Username username) {
    slot.enable(username);
  }

  @Override
  public boolean isDisabled(Username username) {
    return slot.isDisabled(username);
  }

  @Override
  public boolean endSessions(Username username) {
    return slot.endSessions(username);
  }
}
