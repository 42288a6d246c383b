package io.portcullis.connector;

import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Takes one target away from several people in one call to the system, and reads it back once: what
 * expiries due together on one target ask, where one {@link Connector#revoke} and one {@link
 * Connector#holds} each would cost a write and a read per person.
 *
 * <p>Idempotent as {@link Connector#revoke} is: a person who no longer holds the target is no
 * error. Each person's answer comes from the read-back, never from what the call was told, so a
 * caller can trust a person's {@link Revoked#REMOVED} or {@link Revoked#ABSENT} as it trusts {@code
 * holds} answering false. A person the call could not take the target from is {@link
 * Revoked#FAILED} while the others still have their answers; a failure of the whole call (the
 * system or the target cannot be reached) is a {@link ConnectorException}, after which nothing is
 * known and each person must be revoked on their own.
 */
public non-sealed interface BatchRevoke extends Capability {

  /** What the read-back shows for one person of a batch. */
  enum Revoked {
    /** Held before the call, and the read-back shows it gone. */
    REMOVED,
    /** Not held before the call, nor after it: nothing of theirs changed. */
    ABSENT,
    /**
     * Still held after the call, or a person the system does not know: revoke them on their own.
     */
    FAILED
  }

  /**
   * Takes {@code target} away from each of {@code people}, then reads the target back.
   *
   * @return an answer for each of {@code people}, and for no one else
   * @throws ConnectorException when the call as a whole failed and nothing is known
   */
  SortedMap<Username, Revoked> revokeAll(Target target, SortedSet<Username> people);
}
