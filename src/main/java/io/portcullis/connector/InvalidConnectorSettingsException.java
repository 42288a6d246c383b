package io.portcullis.connector;

/**
 * A connector instance that cannot be built from its settings (an unknown type, a missing or
 * malformed setting): start-up stops with this message, which names the instance and the setting
 * and never a setting's value (it may be a secret).
 */
public class InvalidConnectorSettingsException extends RuntimeException {

  public InvalidConnectorSettingsException(String message) {
    super(message);
  }

  /** {@code portcullis.connectors.<instance>.<key>: <problem>}. */
  public static InvalidConnectorSettingsException of(String instance, String key, String problem) {
    return new InvalidConnectorSettingsException(
        ConnectorSettings.PREFIX + "." + instance + "." + key + ": " + problem);
  }
}
