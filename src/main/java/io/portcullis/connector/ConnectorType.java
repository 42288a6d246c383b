package io.portcullis.connector;

import io.portcullis.kernel.ConnectorName;

/**
 * A kind of target system of which a company may configure several instances, each under {@code
 * portcullis.connectors.<instance>} with {@code type: <type()>} and its own settings ({@link
 * ConnectorInstances}). One Spring bean per type; {@link #create} is called once per instance at
 * start-up.
 */
public interface ConnectorType {

  /**
   * The value of an instance's {@code type} setting that selects this type, e.g. {@code
   * postgresql-role}.
   */
  String type();

  /**
   * A connector for this instance, whose {@link Connector#name()} is {@code instance}. Validates
   * the settings and reads every one it uses here (start-up refuses a setting no type read, as a
   * likely typo), but does not reach the target system: a system that is down at start-up must not
   * stop start-up (its steps retry), so the connector connects lazily.
   *
   * @throws InvalidConnectorSettingsException naming the instance and the setting, for a missing or
   *     bad one
   */
  Connector create(ConnectorName instance, ConnectorSettings settings);
}
