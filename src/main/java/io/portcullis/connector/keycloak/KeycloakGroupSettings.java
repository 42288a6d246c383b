package io.portcullis.connector.keycloak;

import io.portcullis.connector.Secret;
import io.portcullis.kernel.Username;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What one {@code keycloak-group} instance needs: where Keycloak is, the realm whose users and
 * groups it manages, the service account it logs in with (a confidential client with the
 * client-credentials grant, in that realm), and how a Portcullis user name maps to the Keycloak
 * user name. Checked here, so that a connector built in a test is held to the rules an instance is
 * held to ({@link KeycloakGroupConnectorType}).
 *
 * @param serverUrl Keycloak's base URL, e.g. {@code https://sso.example.com} (no {@code
 *     /realms/...})
 * @param realm the realm whose users and groups are managed; the service account lives there too
 * @param clientId the service account's client
 * @param clientSecret its secret, which prints as a mask
 * @param login the Keycloak user name of a Portcullis user (the instance's {@code login} template)
 * @param timeout how long one call to Keycloak may take, connecting included
 */
public record KeycloakGroupSettings(
    URI serverUrl,
    String realm,
    String clientId,
    Secret clientSecret,
    Function<Username, String> login,
    Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

  /** A realm's or client's name as this connector accepts it in a URL path or a form. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  public KeycloakGroupSettings {
    if (serverUrl == null
        || !serverUrl.isAbsolute()
        || serverUrl.getHost() == null
        || !("https".equals(serverUrl.getScheme()) || "http".equals(serverUrl.getScheme()))
        || serverUrl.getRawQuery() != null
        || serverUrl.getRawFragment() != null
        || serverUrl.getRawUserInfo() != null) {
      throw new BadSetting(
          "server-url",
          "must be an absolute http or https URL: scheme and host, no user, query or fragment");
    }
    requireName("realm", realm);
    requireName("client-id", clientId);
    if (clientSecret == null || clientSecret.reveal().isBlank()) {
      throw new BadSetting("client-secret", "is required");
    }
    if (login == null) {
      login = Username::value;
    }
    if (timeout == null) {
      timeout = DEFAULT_TIMEOUT;
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new BadSetting("timeout", "must be more than 0 and at most 60 seconds");
    }
  }

  /** The settings with the default login (the user name as it is) and the default timeout. */
  public static KeycloakGroupSettings of(
      URI serverUrl, String realm, String clientId, String clientSecret) {
    return new KeycloakGroupSettings(
        serverUrl, realm, clientId, new Secret(clientSecret), Username::value, DEFAULT_TIMEOUT);
  }

  /** The Keycloak user name of this Portcullis user. */
  String loginOf(Username username) {
    return login.apply(username);
  }

  /** The server URL without a trailing slash, so paths can be appended. */
  String base() {
    String url = serverUrl.toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static void requireName(String setting, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new BadSetting(setting, "must be letters, digits and . _ -");
    }
  }

  /** A setting that is missing or malformed; the message names the setting, never its value. */
  static final class BadSetting extends IllegalArgumentException {
    final String key;
    final String problem;

    BadSetting(String key, String problem) {
      super(key + " " + problem);
      this.key = key;
      this.problem = problem;
    }
  }
}
