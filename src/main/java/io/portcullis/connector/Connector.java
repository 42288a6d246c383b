package io.portcullis.connector;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.util.Optional;

/**
 * One kind of target system that can hand out access and take it back. A connector knows its target
 * and nothing about processes or requests.
 *
 * <p>What a new connector implements: its {@link #name()}, {@link #validateTarget(Target)}, and
 * {@link #grant}, {@link #revoke} and {@link #holds} for a person ({@link Username}, already
 * checked against the one pattern of names) and a {@link Target}, which is the connector's own to
 * interpret (a group's DN, a database role): the core never looks inside it. Two targets are the
 * same access when {@link #sameTarget} says so, by default when their text is equal.
 *
 * <p>Every method is idempotent: granting what is already granted and revoking what is already gone
 * both succeed, so the engine may repeat any call after a crash. A failure that may pass (the
 * target is down) is thrown as {@link ConnectorException}; the engine retries it.
 *
 * <p>Beyond these, a connector may have optional {@link Capability capabilities}, found through
 * {@link #capability(Class)} rather than by casting, so that a decorator or a connector whose
 * capability depends on configuration can answer truthfully.
 */
public interface Connector {

  /**
   * The name by which the catalog and the processes refer to this connector, e.g. {@code
   * ldap-group}.
   */
  ConnectorName name();

  /**
   * Refuses a target that this connector could never grant, with a message that says why.
   *
   * @throws IllegalArgumentException for such a target
   */
  void validateTarget(Target target);

  /** Gives {@code username} the access that {@code target} names. */
  void grant(Username username, Target target);

  /** Takes the access that {@code target} names away from {@code username}. */
  void revoke(Username username, Target target);

  /** Reads back, from the target system itself, whether {@code username} has that access now. */
  boolean holds(Username username, Target target);

  /**
   * Whether two targets name the same access in this system (a directory's DNs compare without
   * case, for instance), so that what {@link Discovery} finds is matched with what was granted. By
   * default, when their text is equal.
   */
  default boolean sameTarget(Target a, Target b) {
    return a.equals(b);
  }

  /**
   * The longest one process step may spend in this connector's calls when its system hangs: each
   * call's timeouts, times the calls of its longest step. A node's job lock time must exceed it by
   * a margin ({@code jobs.LockTimeMargin}, checked at start-up), or a node still inside the step
   * after its lock expired runs it beside the node that took the job over. Zero for a connector
   * whose calls another check counts already (ldap-group's are the directory's, whose timeouts the
   * check reads itself).
   */
  default Duration worstStep() {
    return Duration.ZERO;
  }

  /**
   * This connector's capability of the given type, or empty when its system (or its configuration)
   * does not allow it. By default a connector has the capabilities that it implements.
   */
  default <C extends Capability> Optional<C> capability(Class<C> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }
}
