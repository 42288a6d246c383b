package io.portcullis.connector.ldap;

import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.ldap.LdapName;
import org.springframework.ldap.NoSuchAttributeException;
import org.springframework.ldap.core.LdapTemplate;

/**
 * OpenLDAP's password policy overlay: {@code pwdAccountLockedTime} set to {@code 000001010000Z}
 * locks an account until the value is removed (slapo-ppolicy(5)); the overlay then refuses every
 * bind.
 *
 * <p>Only that value is Portcullis': a lockout that ppolicy itself set after failed logins (a real
 * time) is neither reported as disabled nor removed by enable, so re-enabling cannot undo a
 * lockout.
 */
final class PpolicyLock implements AccountLock {

  static final String ATTRIBUTE = "pwdAccountLockedTime";
  static final String PERMANENTLY = "000001010000Z";

  private final LdapTemplate ldap;

  PpolicyLock(LdapTemplate ldap) {
    this.ldap = ldap;
  }

  @Override
  public void lock(LdapName person) {
    if (!isLocked(person)) {
      // replace: a temporary lockout that ppolicy set becomes a permanent one
      ldap.modifyAttributes(
          person,
          new ModificationItem[] {
            new ModificationItem(
                DirContext.REPLACE_ATTRIBUTE, new BasicAttribute(ATTRIBUTE, PERMANENTLY))
          });
    }
  }

  @Override
  public void unlock(LdapName person) {
    try {
      ldap.modifyAttributes(
          person,
          new ModificationItem[] {
            new ModificationItem(
                DirContext.REMOVE_ATTRIBUTE, new BasicAttribute(ATTRIBUTE, PERMANENTLY))
          });
    } catch (NoSuchAttributeException notLocked) {
      // enabling what is enabled succeeds
    }
  }

  @Override
  public boolean isLocked(LdapName person) {
    // an operational attribute: returned only when asked for by name
    Attribute value =
        ldap.lookup(
            person, new String[] {ATTRIBUTE}, (Attributes attributes) -> attributes.get(ATTRIBUTE));
    return value != null && value.contains(PERMANENTLY);
  }
}
