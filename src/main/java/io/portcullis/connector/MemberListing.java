package io.portcullis.connector;

import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.util.SortedSet;

/**
 * Everyone who holds one target now, whoever gave it: the question a drift sweep asks of a
 * resource, where {@link Discovery} answers what one person holds. Like discovery it must read the
 * system itself, never a record of Portcullis' own grants.
 *
 * <p>A read, so idempotent by nature; a failure that may pass is a {@link ConnectorException}.
 */
public non-sealed interface MemberListing extends Capability {

  /**
   * The people who hold {@code target} now, each by the login name that {@link Connector#revoke}
   * and {@link Connector#holds} take. A holder that is not a person of the directory (a
   * placeholder, a nested group) is no one Portcullis can name or revoke and is left out; a target
   * that does not exist has no holders.
   */
  SortedSet<Username> members(Target target);
}
