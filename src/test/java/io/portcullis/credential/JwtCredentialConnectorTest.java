package io.portcullis.credential;

import io.portcullis.connector.Connector;
import java.time.Duration;

/**
 * The {@code jwt-credential} connector passes the shared connector contract on the same slot table
 * as the {@code api-key} one (its grant, revoke and holds are the slot's), through its own class.
 */
class JwtCredentialConnectorTest extends ApiKeyConnectorTest {

  private JwtCredentialConnector jwt;

  @Override
  protected Connector rawConnector() {
    if (jwt == null) {
      jwt =
          new JwtCredentialConnector(
              (ApiKeyConnector) super.rawConnector(),
              "https://deploy.portcullis.demo",
              Duration.ofMinutes(5));
    }
    return jwt;
  }
}
