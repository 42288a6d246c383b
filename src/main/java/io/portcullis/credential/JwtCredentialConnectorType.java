package io.portcullis.credential;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorSettings;
import io.portcullis.connector.ConnectorType;
import io.portcullis.kernel.ConnectorName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The {@code jwt-credential} connector type: {@code portcullis.connectors.<instance>.type:
 * jwt-credential}, with {@code audience} (the {@code aud} of its tokens, required) and {@code
 * token-ttl} (an access token's life, {@code PT5M} by default, never past the grant's end). Its
 * grant opens the same slot as an {@code api-key}'s; what the slot lets its holder take is an
 * access token and a refresh token. Refuses to start without {@code
 * portcullis.credentials.signing-keys}.
 */
@Component
class JwtCredentialConnectorType implements ConnectorType {

  static final String TYPE = "jwt-credential";
  static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(5);

  private final CredentialStore store;
  private final CredentialEvents events;
  private final SigningKeys keys;
  private final Map<ConnectorName, JwtCredentialConnector> built = new ConcurrentHashMap<>();

  JwtCredentialConnectorType(CredentialStore store, CredentialEvents events, SigningKeys keys) {
    this.store = store;
    this.events = events;
    this.keys = keys;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Connector create(ConnectorName instance, ConnectorSettings settings) {
    if (!keys.configured()) {
      throw settings.problem(
          ConnectorSettings.TYPE,
          "is "
              + TYPE
              + ", whose tokens need a signing key: set "
              + CredentialProperties.SIGNING_KEYS
              + ".current.private-key and .public-key (README, \"JWTs\")");
    }
    String audience = settings.required("audience");
    if (!audience.matches("[\\x21-\\x7e]{1,200}")) {
      throw settings.problem("audience", "must be a URI or name without spaces, at most 200");
    }
    Duration ttl = settings.duration("token-ttl", DEFAULT_TOKEN_TTL);
    JwtCredentialConnector connector =
        new JwtCredentialConnector(new ApiKeyConnector(instance, store, events), audience, ttl);
    built.put(instance, connector);
    return connector;
  }

  /** The jwt-credential instance of this name, or empty when that connector is of another type. */
  Optional<JwtCredentialConnector> instance(ConnectorName name) {
    return Optional.ofNullable(built.get(name));
  }
}
