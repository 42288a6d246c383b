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
 * @param signingKeys the keys that sign {@code jwt-credential} access tokens (ES256, P-256): {@code
 *     current} signs, {@code previous} (optional) is still published and accepted until every token
 *     it signed has expired (a token-ttl after the switch). Each is {@code private-key} (PKCS#8)
 *     and {@code public-key} (X.509), DER in base64, as {@code openssl} makes them (README,
 *     "JWTs"). None by default: a {@code jwt-credential} instance refuses to start without them
 */
@Validated
@ConfigurationProperties("portcullis.credentials")
record CredentialProperties(
    Map<String, ResourceServer> resourceServers, SigningKeyPairs signingKeys) {

  static final String RESOURCE_SERVERS = "portcullis.credentials.resource-servers";
  static final String SIGNING_KEYS = "portcullis.credentials.signing-keys";

  CredentialProperties {
    signingKeys = signingKeys == null ? new SigningKeyPairs(null, null) : signingKeys;
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

  /** The current signing key and the one before it; both absent when not configured. */
  record SigningKeyPairs(SigningKeyPair current, SigningKeyPair previous) {
    SigningKeyPairs {
      if (current == null && previous != null) {
        throw new IllegalArgumentException(
            SIGNING_KEYS + ".previous is set without " + SIGNING_KEYS + ".current");
      }
    }
  }

  /** One ES256 key pair, DER in base64: a PKCS#8 private key and an X.509 public key. */
  record SigningKeyPair(String privateKey, String publicKey) {
    @Override
    public String toString() {
      return "SigningKeyPair[publicKey=" + publicKey + "]";
    }
  }

  /** A resource server's secret, as its hash. */
  record ResourceServer(String secretSha256) {
    TokenHash secret() {
      return TokenHash.ofHex(secretSha256);
    }
  }
}
