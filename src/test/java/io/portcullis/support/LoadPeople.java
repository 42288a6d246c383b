package io.portcullis.support;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * People for load tests, added straight into the embedded demo directory (no LDAP connection of the
 * application is used): {@code load0001} ... with the password {@code <uid>-load}, in no group, so
 * each may ask for any resource and none approves.
 */
public final class LoadPeople {

  private LoadPeople() {}

  /**
   * Adds {@code count} people (those already there are left alone) and returns their names, in
   * order.
   */
  public static List<String> add(InMemoryDirectoryServer directory, String peopleDn, int count) {
    List<String> names = new ArrayList<>();
    try {
      for (int i = 1; i <= count; i++) {
        String uid = name(i);
        names.add(uid);
        String dn = "uid=" + uid + "," + peopleDn;
        if (directory.getEntry(dn) == null) {
          directory.add(
              "dn: " + dn,
              "objectClass: top",
              "objectClass: person",
              "objectClass: organizationalPerson",
              "objectClass: inetOrgPerson",
              "uid: " + uid,
              "cn: Load " + i,
              "sn: " + i,
              "userPassword: " + password(uid));
        }
      }
    } catch (LDAPException | LDIFException e) {
      throw new IllegalStateException("could not add load-test people: " + e.getMessage(), e);
    }
    return names;
  }

  public static String name(int i) {
    return String.format(Locale.ROOT, "load%04d", i);
  }

  public static String password(String uid) {
    return uid.startsWith("load") ? uid + "-load" : uid + "-demo";
  }
}
