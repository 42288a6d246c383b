package io.portcullis.connector.ldap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.naming.NamingEnumeration;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.ldap.LdapName;
import org.springframework.ldap.core.LdapTemplate;

/**
 * For a directory that has no lockout of its own, such as the embedded demo directory (UnboundID's
 * in-memory server has no password policy): the person's {@code userPassword} values move into a
 * stash attribute, so that no password binds (an entry without a password refuses every simple
 * bind), and move back, byte for byte, on enable. The stash's auxiliary object class is the mark of
 * a disabled account. Values are stored in base64, because a hashed password is bytes and the stash
 * is text.
 *
 * <p>Each change is one modify operation, so the directory applies it whole or not at all; the
 * password values removed are the exact ones read, so a password set meanwhile is never lost
 * silently (the modify fails, and the step is retried on the entry as it is then).
 */
final class StashedPasswordLock implements AccountLock {

  static final String PASSWORD = "userPassword";

  private final LdapTemplate ldap;
  private final String stash;
  private final String mark;

  StashedPasswordLock(LdapTemplate ldap, String stashAttribute, String stashObjectClass) {
    this.ldap = ldap;
    this.stash = stashAttribute;
    this.mark = stashObjectClass;
  }

  @Override
  public void lock(LdapName person) {
    Account account = read(person);
    List<ModificationItem> changes = new ArrayList<>();
    if (!account.marked) {
      changes.add(
          new ModificationItem(DirContext.ADD_ATTRIBUTE, new BasicAttribute("objectClass", mark)));
    }
    // a password set while the account was disabled is stashed too: after disable, nothing binds
    if (!account.passwords.isEmpty()) {
      BasicAttribute stashed = new BasicAttribute(stash);
      BasicAttribute removed = new BasicAttribute(PASSWORD);
      for (byte[] password : account.passwords) {
        stashed.add(Base64.getEncoder().encodeToString(password));
        removed.add(password);
      }
      changes.add(new ModificationItem(DirContext.ADD_ATTRIBUTE, stashed));
      changes.add(new ModificationItem(DirContext.REMOVE_ATTRIBUTE, removed));
    }
    modify(person, changes);
  }

  @Override
  public void unlock(LdapName person) {
    Account account = read(person);
    if (!account.marked) {
      return;
    }
    List<ModificationItem> changes = new ArrayList<>();
    // a password an administrator set while the account was disabled is newer than the stash: it
    // stays
    if (account.passwords.isEmpty() && !account.stashed.isEmpty()) {
      BasicAttribute restored = new BasicAttribute(PASSWORD);
      account.stashed.forEach(value -> restored.add(Base64.getDecoder().decode(value)));
      changes.add(new ModificationItem(DirContext.ADD_ATTRIBUTE, restored));
    }
    if (!account.stashed.isEmpty()) {
      changes.add(new ModificationItem(DirContext.REMOVE_ATTRIBUTE, new BasicAttribute(stash)));
    }
    changes.add(
        new ModificationItem(DirContext.REMOVE_ATTRIBUTE, new BasicAttribute("objectClass", mark)));
    modify(person, changes);
  }

  @Override
  public boolean isLocked(LdapName person) {
    return read(person).marked;
  }

  private void modify(LdapName person, List<ModificationItem> changes) {
    if (!changes.isEmpty()) {
      ldap.modifyAttributes(person, changes.toArray(ModificationItem[]::new));
    }
  }

  private record Account(boolean marked, List<byte[]> passwords, List<String> stashed) {}

  private Account read(LdapName person) {
    return ldap.lookup(
        person,
        new String[] {"objectClass", PASSWORD, stash},
        (Attributes attributes) -> {
          boolean marked = false;
          Attribute classes = attributes.get("objectClass");
          for (NamingEnumeration<?> values = classes.getAll(); values.hasMore(); ) {
            marked |= mark.equalsIgnoreCase(values.next().toString());
          }
          List<byte[]> passwords = new ArrayList<>();
          Attribute password = attributes.get(PASSWORD);
          if (password != null) {
            for (NamingEnumeration<?> values = password.getAll(); values.hasMore(); ) {
              Object value = values.next();
              // JNDI returns userPassword as bytes (it is among its binary attributes); text only
              // if configured so
              passwords.add(
                  value instanceof byte[] bytes
                      ? bytes
                      : value.toString().getBytes(StandardCharsets.UTF_8));
            }
          }
          List<String> stashed = new ArrayList<>();
          Attribute stashedValues = attributes.get(stash);
          if (stashedValues != null) {
            for (NamingEnumeration<?> values = stashedValues.getAll(); values.hasMore(); ) {
              stashed.add(values.next().toString());
            }
          }
          return new Account(marked, passwords, stashed);
        });
  }
}
