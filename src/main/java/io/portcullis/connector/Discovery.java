package io.portcullis.connector;

import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.util.SortedSet;

/**
 * Everything a person holds in a connector's system, whoever gave it: what Portcullis granted and
 * what someone set up by hand (standing access). Offboarding asks this before it revokes and again
 * to verify, so it must read the system itself, never a record of Portcullis' own grants.
 *
 * <p>A read, so idempotent by nature; a failure that may pass is a {@link ConnectorException}.
 */
public non-sealed interface Discovery extends Capability {

  /**
   * The targets that {@code username} holds now, each in the form that {@link Connector#grant},
   * {@link Connector#revoke} and {@link Connector#holds} take, so that each can be revoked as
   * found. A person this system does not know holds nothing in it: the answer is empty, not an
   * error, so that asking every system about a leaver works whether or not each one had an account
   * for them.
   */
  SortedSet<Target> holdings(Username username);
}
