package io.portcullis.connector;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;

/**
 * Published, in the caller's thread, when a connector has disabled a person's account, so that what
 * still lets them in elsewhere in Portcullis (a remembered login) is dropped before the disable
 * returns.
 */
public record AccountDisabled(ConnectorName connector, Username username) {}
