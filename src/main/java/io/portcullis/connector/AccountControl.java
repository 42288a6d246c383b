package io.portcullis.connector;

import io.portcullis.kernel.Username;

/**
 * Turns a person's account in a connector's system off and on again: the freeze of offboarding,
 * which comes before anything is revoked so that the leaver cannot act while their access is being
 * taken apart, and which a cancelled offboarding undoes. Disabling is not revoking: what the person
 * holds stays as it was, for {@link Discovery} to find and the revokes to remove.
 *
 * <p>Every method is idempotent: disabling a disabled account and enabling an enabled one both
 * succeed and change nothing, so the engine may repeat any call after a crash. A person the system
 * does not know, or a failure that may pass, is a {@link ConnectorException}: freezing an account
 * that cannot be found must not look like success.
 */
public non-sealed interface AccountControl extends Capability {

  /** Makes the account unusable: the person can no longer authenticate to this system. */
  void disable(Username username);

  /** Makes a disabled account usable again, as it was before {@link #disable(Username)}. */
  void enable(Username username);

  /** Reads back, from the system itself, whether the account is disabled now. */
  boolean isDisabled(Username username);

  /**
   * Ends what the person was already handed (sessions, refresh tokens), so that disabling takes
   * effect now rather than when a session runs out.
   *
   * @return {@code true} when the system keeps sessions and they are ended now; {@code false} when
   *     the system keeps none, so there is nothing to end (an LDAP directory checks every bind
   *     afresh). The answer is a fact about the system, recorded as evidence; it never stands for
   *     "not done".
   */
  boolean endSessions(Username username);
}
