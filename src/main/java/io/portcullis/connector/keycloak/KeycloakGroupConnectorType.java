package io.portcullis.connector.keycloak;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorSettings;
import io.portcullis.connector.ConnectorType;
import io.portcullis.kernel.ConnectorName;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.stereotype.Component;

/**
 * The {@code keycloak-group} type: an instance under {@code portcullis.connectors.<name>} with
 * {@code server-url}, {@code realm}, {@code client-id}, {@code client-secret} (from the
 * environment), optionally {@code timeout} (default 3s: a step makes up to 20 calls,
 * KeycloakGroupConnector#worstStep) and the framework's {@code login}. Nothing reaches Keycloak
 * here: the service account's token is taken at the first call.
 */
@Component
class KeycloakGroupConnectorType implements ConnectorType {

  @Override
  public String type() {
    return KeycloakGroupConnector.TYPE;
  }

  @Override
  public Connector create(ConnectorName instance, ConnectorSettings settings) {
    String serverUrl = settings.required("server-url");
    String realm = settings.required("realm");
    String clientId = settings.required("client-id");
    var clientSecret = settings.secret("client-secret");
    var timeout = settings.duration("timeout", KeycloakGroupSettings.DEFAULT_TIMEOUT);
    try {
      return new KeycloakGroupConnector(
          instance,
          new KeycloakGroupSettings(
              url(serverUrl, settings), realm, clientId, clientSecret, settings::login, timeout));
    } catch (KeycloakGroupSettings.BadSetting bad) {
      throw settings.problem(bad.key, bad.problem);
    }
  }

  private static URI url(String text, ConnectorSettings settings) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw settings.problem(
          "server-url",
          "must be an absolute http or https URL: scheme and host, no user, query or fragment");
    }
  }
}
