package io.portcullis.connector.ldap;

import javax.naming.ldap.LdapName;

/**
 * One directory's own way of making an account unusable and usable again ({@link
 * LdapGroupProperties.DisableMethod}). Each method is idempotent and reads the entry afresh; LDAP
 * failures pass through as Spring LDAP's exceptions, which {@link LdapAccountControl} reports.
 */
interface AccountLock {

  void lock(LdapName person);

  void unlock(LdapName person);

  boolean isLocked(LdapName person);
}
