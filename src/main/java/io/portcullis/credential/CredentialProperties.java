package io.portcullis.credential;

import io.portcullis.security.TokenHash;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Credentials, under {@code portcullis.credentials}.
 *
 * @param resourceServers the clients that may introspect tokens ({@code POST /oauth2/introspect}),
 *     by client id: {@code portcullis.credentials.resource-servers.<client-id>.secret-sha256} is
 *     the SHA-256 of its secret as 64 hex digits ({@code printf %s "$SECRET" | sha256sum}), never
 *     the secret. None by default: introspection is closed until a client is configured
 */
@Validated
@ConfigurationProperties("portcullis.credentials")
record CredentialProperties(Map<String, ResourceServer> resourceServers) {

  static final String RESOURCE_SERVERS = "portcullis.credentials.resource-servers";

  CredentialProperties {
    resourceServers =
        resourceServers == null ? Map.of() : Map.copyOf(new TreeMap<>(resourceServers));
    resourceServers.forEach(
        (client, server) -> {
          if (!client.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                RESOURCE_SERVERS
                    + "."
                    + client
                    + ": a client id is letters, digits and . _ -, at most 64");
          }
          try {
            TokenHash.ofHex(server == null ? null : server.secretSha256());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                RESOURCE_SERVERS + "." + client + ".secret-sha256 " + e.getMessage());
          }
        });
  }

  /** A resource server's secret, as its hash. */
  record ResourceServer(String secretSha256) {
    TokenHash secret() {
      return TokenHash.ofHex(secretSha256);
    }
  }
}
