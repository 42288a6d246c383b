package io.portcullis.connector.ldap;

import static org.springframework.ldap.query.LdapQueryBuilder.query;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.directory.DirectoryPoolProperties;
import io.portcullis.directory.GroupMemberships;
import java.time.Duration;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.ldap.LdapName;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.AttributeInUseException;
import org.springframework.ldap.NamingException;
import org.springframework.ldap.NoSuchAttributeException;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.stereotype.Component;

/**
 * Grants access as membership of an LDAP group (groupOfNames or Active Directory's group): the target
 * is the group's DN, and the person is found by login name under the directory's people.
 *
 * <p>Names are never pasted into filters or DNs: the search filter is built by Spring LDAP's query
 * builder, which escapes it, and DNs are parsed and compared as {@link LdapName}s.
 */
@Component
public class LdapGroupConnector implements Connector {

  public static final String NAME = "ldap-group";

  private final LdapTemplate ldap;
  private final DirectoryProperties directory;
  private final GroupMemberships memberships;

  /** A connector of its own, outside the application: nobody's groups are cached, so there is nothing to drop. */
  public LdapGroupConnector(LdapTemplate ldap, DirectoryProperties directory) {
    this(ldap, directory, new GroupMemberships(ldap, directory, new DirectoryPoolProperties(Duration.ZERO, null, null)));
  }

  @Autowired
  public LdapGroupConnector(LdapTemplate ldap, DirectoryProperties directory, GroupMemberships memberships) {
    this.ldap = ldap;
    this.directory = directory;
    this.memberships = memberships;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void validateTarget(String target) {
    LdapName group = parseDn(target);
    if (group.isEmpty()) {
      throw new IllegalArgumentException("the target of an ldap-group resource must be a group DN");
    }
  }

  @Override
  public void grant(String username, String target) {
    LdapName person = personDn(username);
    try {
      modifyMembers(target, DirContext.ADD_ATTRIBUTE, person);
    } catch (AttributeInUseException alreadyMember) {
      // granting what is already granted succeeds
    } catch (NamingException e) {
      throw new ConnectorException("could not add " + username + " to " + target + ": " + e.getMessage(), e);
    } finally {
      // the person's next request sees their groups as the directory now has them
      memberships.forget(username);
    }
  }

  @Override
  public void revoke(String username, String target) {
    LdapName person = personDn(username);
    try {
      modifyMembers(target, DirContext.REMOVE_ATTRIBUTE, person);
    } catch (NoSuchAttributeException notMember) {
      // revoking what is already gone succeeds
    } catch (NamingException e) {
      throw new ConnectorException("could not remove " + username + " from " + target + ": " + e.getMessage(), e);
    } finally {
      memberships.forget(username);
    }
  }

  @Override
  public boolean holds(String username, String target) {
    LdapName person = personDn(username);
    try {
      DirContextAdapter group = (DirContextAdapter) ldap.lookup(parseDn(target), new String[] {directory.memberAttribute()},
          (Object ctx) -> ctx);
      String[] members = group.getStringAttributes(directory.memberAttribute());
      if (members == null) {
        return false;
      }
      for (String member : members) {
        if (person.equals(parseDn(member))) {
          return true;
        }
      }
      return false;
    } catch (NamingException e) {
      throw new ConnectorException("could not read the members of " + target + ": " + e.getMessage(), e);
    }
  }

  private void modifyMembers(String target, int operation, LdapName person) {
    ModificationItem change = new ModificationItem(operation, new BasicAttribute(directory.memberAttribute(), person.toString()));
    ldap.modifyAttributes(parseDn(target), new ModificationItem[] {change});
  }

  /** The DN of the person with this login name; exactly one must exist. */
  LdapName personDn(String username) {
    List<String> found;
    try {
      found = ldap.search(
          query().base(directory.peopleDn())
              .where("objectClass").is(directory.userObjectClass())
              .and(directory.userIdAttribute()).is(username),
          (Object ctx) -> ((DirContextAdapter) ctx).getNameInNamespace());
    } catch (NamingException e) {
      throw new ConnectorException("could not look up " + username + " in the directory: " + e.getMessage(), e);
    }
    if (found.size() != 1) {
      throw new ConnectorException(found.isEmpty()
          ? "no person '" + username + "' under " + directory.peopleDn()
          : "more than one person '" + username + "' under " + directory.peopleDn());
    }
    return parseDn(found.get(0));
  }

  private static LdapName parseDn(String dn) {
    try {
      return new LdapName(dn);
    } catch (InvalidNameException | IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + dn + "' is not a valid DN", e);
    }
  }
}
