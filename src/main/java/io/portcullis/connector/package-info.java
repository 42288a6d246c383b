/**
 * The connector contract and its registry: {@link io.portcullis.connector.Connector} (grant,
 * revoke, holds), its capabilities ({@link io.portcullis.connector.Capability}, {@link
 * io.portcullis.connector.Discovery}, {@link io.portcullis.connector.AccountControl}), {@link
 * io.portcullis.connector.Connectors} by name, {@link io.portcullis.connector.ConnectorException}
 * and {@link io.portcullis.connector.AccountDisabled}. Its API is its base package (every public
 * type there is the contract); each connector lives in a sub-package of its own ({@code
 * connector.ldap}, ...) and is no other module's to use.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(allowedDependencies = {"directory", "kernel"})
package io.portcullis.connector;

import org.springframework.modulith.ApplicationModule;
