package io.portcullis.credential;

import io.portcullis.connector.Connector;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Duration;

/**
 * A {@code jwt-credential} instance. Grant, revoke and holds are the credential slot's, as for an
 * {@code api-key} ({@link ApiKeyConnector}, whose slot this one uses): revoke closes the slot and
 * revokes the hand-out, which kills its refresh tokens and every access token it gave at
 * introspection in the revoke step's transaction. The target is the scope the tokens carry.
 */
final class JwtCredentialConnector implements Connector {

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
}
