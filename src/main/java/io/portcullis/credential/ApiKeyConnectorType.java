package io.portcullis.credential;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorSettings;
import io.portcullis.connector.ConnectorType;
import io.portcullis.kernel.ConnectorName;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The {@code api-key} connector type: {@code portcullis.connectors.<instance>.type: api-key}, no
 * other setting. A catalog entry on such an instance is granted and revoked like any other; what it
 * grants is the right to take one API key ({@link ApiKeyConnector}). Remembers the instances it
 * built, so the hand-out knows which requests are for a key.
 */
@Component
class ApiKeyConnectorType implements ConnectorType {

  static final String TYPE = "api-key";

  private final CredentialStore store;
  private final CredentialEvents events;
  private final Map<ConnectorName, ApiKeyConnector> built = new ConcurrentHashMap<>();

  ApiKeyConnectorType(CredentialStore store, CredentialEvents events) {
    this.store = store;
    this.events = events;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Connector create(ConnectorName instance, ConnectorSettings settings) {
    ApiKeyConnector connector = new ApiKeyConnector(instance, store, events);
    built.put(instance, connector);
    return connector;
  }

  /** The api-key instance of this name, or empty when that connector is of another type. */
  Optional<ApiKeyConnector> instance(ConnectorName name) {
    return Optional.ofNullable(built.get(name));
  }
}
