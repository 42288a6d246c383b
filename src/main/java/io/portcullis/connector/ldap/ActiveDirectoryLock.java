package io.portcullis.connector.ldap;

import io.portcullis.connector.ConnectorException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.ldap.LdapName;
import org.springframework.ldap.NoSuchAttributeException;
import org.springframework.ldap.core.LdapTemplate;

/**
 * Active Directory: the ACCOUNTDISABLE bit (0x2) of {@code userAccountControl}, whose other bits
 * (normal account, password never expires, smart card required...) stay as they are.
 *
 * <p>A read-modify-write that cannot lose a change made meanwhile: the write deletes the exact
 * value read and adds the new one in one modify operation, which the directory applies atomically
 * or not at all; if someone changed the value in between, the delete finds nothing, and the change
 * is made again on the value as it is now.
 */
final class ActiveDirectoryLock implements AccountLock {

  static final String ATTRIBUTE = "userAccountControl";
  static final int ACCOUNTDISABLE = 0x2;
  private static final int ATTEMPTS = 3;

  private final LdapTemplate ldap;

  ActiveDirectoryLock(LdapTemplate ldap) {
    this.ldap = ldap;
  }

  @Override
  public void lock(LdapName person) {
    change(person, true);
  }

  @Override
  public void unlock(LdapName person) {
    change(person, false);
  }

  @Override
  public boolean isLocked(LdapName person) {
    return (read(person) & ACCOUNTDISABLE) != 0;
  }

  private void change(LdapName person, boolean disabled) {
    for (int attempt = 1; ; attempt++) {
      int before = read(person);
      int after = disabled ? before | ACCOUNTDISABLE : before & ~ACCOUNTDISABLE;
      if (after == before) {
        return;
      }
      try {
        ldap.modifyAttributes(
            person,
            new ModificationItem[] {
              new ModificationItem(
                  DirContext.REMOVE_ATTRIBUTE,
                  new BasicAttribute(ATTRIBUTE, Integer.toString(before))),
              new ModificationItem(
                  DirContext.ADD_ATTRIBUTE, new BasicAttribute(ATTRIBUTE, Integer.toString(after)))
            });
        return;
      } catch (NoSuchAttributeException changedMeanwhile) {
        if (attempt == ATTEMPTS) {
          throw new ConnectorException(
              "userAccountControl of " + person + " kept changing while it was being set");
        }
      }
    }
  }

  private int read(LdapName person) {
    String value =
        ldap.lookup(
            person,
            new String[] {ATTRIBUTE},
            (Attributes attributes) -> {
              Attribute attribute = attributes.get(ATTRIBUTE);
              return attribute == null ? null : (String) attribute.get();
            });
    if (value == null) {
      throw new ConnectorException(
          person + " has no userAccountControl: is this directory Active Directory?");
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConnectorException(
          "userAccountControl of " + person + " is not a number: " + value, e);
    }
  }
}
