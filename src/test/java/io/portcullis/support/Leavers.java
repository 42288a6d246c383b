package io.portcullis.support;

import java.util.ArrayList;
import java.util.List;
import org.springframework.ldap.NameNotFoundException;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.query.LdapQueryBuilder;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * People and groups that offboarding tests create in the embedded directory and take away
 * afterwards, so that offboarding a test person never takes the demo people's memberships from
 * other tests.
 */
public final class Leavers {

  public static final String BASE = "dc=portcullis,dc=demo";
  private static final String PLACEHOLDER = "cn=empty-group-placeholder," + BASE;

  private final LdapTemplate ldap;
  private final List<String> created = new ArrayList<>();

  public Leavers(LdapTemplate ldap) {
    this.ldap = ldap;
  }

  public static String personDn(String uid) {
    return "uid=" + uid + ",ou=people," + BASE;
  }

  public static String groupDn(String cn) {
    return "cn=" + cn + ",ou=groups," + BASE;
  }

  /**
   * A person whose password is {@code uid-demo}, a member of the given groups (which must exist).
   */
  public void person(String uid, String... groups) {
    DirContextAdapter entry =
        new DirContextAdapter(LdapNameBuilder.newInstance(personDn(uid)).build());
    entry.setAttributeValues(
        "objectClass", new String[] {"top", "person", "organizationalPerson", "inetOrgPerson"});
    entry.setAttributeValue("uid", uid);
    entry.setAttributeValue("cn", uid);
    entry.setAttributeValue("sn", uid);
    entry.setAttributeValue("userPassword", uid + "-demo");
    ldap.bind(entry);
    created.add(0, personDn(uid));
    for (String group : groups) {
      addMember(groupDn(group), personDn(uid));
    }
  }

  /** A group with a placeholder member (groupOfNames must have one) and these people. */
  public void group(String cn, String... members) {
    DirContextAdapter entry =
        new DirContextAdapter(LdapNameBuilder.newInstance(groupDn(cn)).build());
    entry.setAttributeValues("objectClass", new String[] {"top", "groupOfNames"});
    entry.setAttributeValue("cn", cn);
    List<String> values = new ArrayList<>(List.of(PLACEHOLDER));
    for (String member : members) {
      values.add(personDn(member));
    }
    entry.setAttributeValues("member", values.toArray());
    ldap.bind(entry);
    created.add(0, groupDn(cn));
  }

  /** A group whose only member is this person: the directory refuses to remove its last member. */
  public void soleMemberGroup(String cn, String member) {
    DirContextAdapter entry =
        new DirContextAdapter(LdapNameBuilder.newInstance(groupDn(cn)).build());
    entry.setAttributeValues("objectClass", new String[] {"top", "groupOfNames"});
    entry.setAttributeValue("cn", cn);
    entry.setAttributeValue("member", personDn(member));
    ldap.bind(entry);
    created.add(0, groupDn(cn));
  }

  public void addMember(String groupDn, String memberDn) {
    DirContextAdapter group =
        (DirContextAdapter) ldap.lookup(LdapNameBuilder.newInstance(groupDn).build());
    group.addAttributeValue("member", memberDn);
    ldap.modifyAttributes(group);
  }

  /** Removes what this made, and every membership of the people it made. */
  public void removeAll() {
    for (String dn : created) {
      if (dn.startsWith("uid=")) {
        for (String group :
            ldap.search(
                LdapQueryBuilder.query().base("ou=groups," + BASE).where("member").is(dn),
                (Object ctx) -> ((DirContextAdapter) ctx).getNameInNamespace())) {
          try {
            DirContextAdapter g =
                (DirContextAdapter) ldap.lookup(LdapNameBuilder.newInstance(group).build());
            g.removeAttributeValue("member", dn);
            ldap.modifyAttributes(g);
          } catch (RuntimeException lastMember) {
            ldap.unbind(LdapNameBuilder.newInstance(group).build());
          }
        }
      }
      try {
        ldap.unbind(LdapNameBuilder.newInstance(dn).build());
      } catch (NameNotFoundException gone) {
        // removed already
      }
    }
    created.clear();
  }
}
