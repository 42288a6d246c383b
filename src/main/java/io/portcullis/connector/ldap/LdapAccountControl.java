package io.portcullis.connector.ldap;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.ConnectorException;
import io.portcullis.directory.GroupMemberships;
import io.portcullis.kernel.Username;
import java.util.function.Consumer;
import javax.naming.ldap.LdapName;
import org.springframework.ldap.NamingException;

/**
 * Disables and re-enables directory accounts with the configured {@link AccountLock}. A directory
 * keeps no sessions: every bind is checked afresh, so a disabled person's next login fails and
 * there is nothing else to end ({@link #endSessions} answers {@code false}). What Portcullis itself
 * keeps of the person, their cached groups, is dropped on every change, so the next request reads
 * the directory.
 */
final class LdapAccountControl implements AccountControl {

  private final People people;
  private final AccountLock lock;
  private final GroupMemberships memberships;

  LdapAccountControl(People people, AccountLock lock, GroupMemberships memberships) {
    this.people = people;
    this.lock = lock;
    this.memberships = memberships;
  }

  @Override
  public void disable(Username username) {
    change(username, "disable", lock::lock);
  }

  @Override
  public void enable(Username username) {
    change(username, "enable", lock::unlock);
  }

  @Override
  public boolean isDisabled(Username username) {
    LdapName person = people.dnOf(username.value());
    try {
      return lock.isLocked(person);
    } catch (NamingException e) {
      throw new ConnectorException(
          "could not read whether " + username + " is disabled: " + e.getMessage(), e);
    }
  }

  /**
   * A directory has no sessions: a bind lasts one connection, and the next one is checked again.
   */
  @Override
  public boolean endSessions(Username username) {
    people.dnOf(
        username.value()); // a person who is not there is an error here as in every other method
    return false;
  }

  private void change(Username username, String what, Consumer<LdapName> change) {
    LdapName person = people.dnOf(username.value());
    try {
      change.accept(person);
    } catch (NamingException e) {
      throw new ConnectorException("could not " + what + " " + username + ": " + e.getMessage(), e);
    } finally {
      memberships.forget(username);
    }
  }
}
