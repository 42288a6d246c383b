package io.portcullis.connector.keycloak;

import io.portcullis.kernel.Username;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What one {@code keycloak-group} instance needs: where Keycloak is, the realm whose users and groups it
 * manages, the service account it logs in with (a confidential client with the client-credentials grant,
 * in that realm), and how a Portcullis user name maps to the Keycloak user name.
 *
 * @param serverUrl Keycloak's base URL, e.g. {@code https://sso.example.com} (no {@code /realms/...})
 * @param realm the realm whose users and groups are managed; the service account lives there too
 * @param clientId the service account's client
 * @param clientSecret its secret, never printed ({@link #toString()} hides it)
 * @param login the Keycloak user name of a Portcullis user, {@code {username}} standing for the name
 * @param timeout how long one call to Keycloak may take, connecting included
 */
public record KeycloakGroupSettings(URI serverUrl, String realm, String clientId, String clientSecret, String login,
    Duration timeout) {

  public static final String USERNAME = "{username}";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** A realm's or client's name as this connector accepts it in a URL path or a form. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  public KeycloakGroupSettings {
    if (serverUrl == null || !serverUrl.isAbsolute() || serverUrl.getHost() == null
        || !("https".equals(serverUrl.getScheme()) || "http".equals(serverUrl.getScheme()))
        || serverUrl.getRawQuery() != null || serverUrl.getRawFragment() != null) {
      throw new IllegalArgumentException("server-url must be an http or https URL, e.g. https://sso.example.com");
    }
    requireName("realm", realm);
    requireName("client-id", clientId);
    if (clientSecret == null || clientSecret.isBlank()) {
      throw new IllegalArgumentException("client-secret is required");
    }
    if (login == null) {
      login = USERNAME;
    }
    if (!login.contains(USERNAME)) {
      throw new IllegalArgumentException("login must contain " + USERNAME + ", e.g. \"{username}\" or \"{username}@company.com\"");
    }
    if (timeout == null) {
      timeout = DEFAULT_TIMEOUT;
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("timeout must be between 0 and 60 seconds");
    }
  }

  /** The settings with the default login (the user name as it is) and the default timeout. */
  public static KeycloakGroupSettings of(URI serverUrl, String realm, String clientId, String clientSecret) {
    return new KeycloakGroupSettings(serverUrl, realm, clientId, clientSecret, USERNAME, DEFAULT_TIMEOUT);
  }

  /** The Keycloak user name of this Portcullis user. */
  String loginOf(Username username) {
    return login.replace(USERNAME, username.value());
  }

  /** The server URL without a trailing slash, so paths can be appended. */
  String base() {
    String url = serverUrl.toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static void requireName(String setting, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(setting + " must be letters, digits and . _ -");
    }
  }

  @Override
  public String toString() {
    return "KeycloakGroupSettings[serverUrl=" + serverUrl + ", realm=" + realm + ", clientId=" + clientId
        + ", clientSecret=(hidden), login=" + login + ", timeout=" + timeout + "]";
  }
}
