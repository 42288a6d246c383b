package io.portcullis.connector;

import java.util.Optional;

/**
 * One kind of target system that can hand out access and take it back. A connector knows its target
 * and nothing about processes or requests.
 *
 * <p>Every method is idempotent: granting what is already granted and revoking what is already gone
 * both succeed, so the engine may repeat any call after a crash. A failure that may pass (the target is
 * down) is thrown as {@link ConnectorException}; the engine retries it.
 *
 * <p>Beyond these, a connector may have optional {@link Capability capabilities}, found through
 * {@link #capability(Class)} rather than by casting, so that a decorator or a connector whose
 * capability depends on configuration can answer truthfully.
 */
public interface Connector {

  /** The name by which the catalog and the processes refer to this connector, e.g. {@code ldap-group}. */
  String name();

  /** Refuses a target that this connector could never grant, with a message that says why. */
  void validateTarget(String target);

  /** Gives {@code username} the access that {@code target} names. */
  void grant(String username, String target);

  /** Takes the access that {@code target} names away from {@code username}. */
  void revoke(String username, String target);

  /** Reads back, from the target system itself, whether {@code username} has that access now. */
  boolean holds(String username, String target);

  /**
   * This connector's capability of the given type, or empty when its system (or its configuration)
   * does not allow it. By default a connector has the capabilities that it implements.
   */
  default <C extends Capability> Optional<C> capability(Class<C> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }
}
