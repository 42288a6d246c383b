package io.portcullis.connector.ldap;

import static org.springframework.ldap.query.LdapQueryBuilder.query;

import io.portcullis.connector.ConnectorException;
import io.portcullis.directory.DirectoryProperties;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.springframework.ldap.NamingException;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;

/**
 * Finds a person's entry by login name. The name goes into the filter only through Spring LDAP's
 * query builder, which escapes it, so no name can match anyone but a person of exactly that name.
 */
final class People {

  private final LdapTemplate ldap;
  private final DirectoryProperties directory;

  People(LdapTemplate ldap, DirectoryProperties directory) {
    this.ldap = ldap;
    this.directory = directory;
  }

  /** The DN of the person with this login name; exactly one must exist. */
  LdapName dnOf(String username) {
    return find(username)
        .orElseThrow(
            () ->
                new ConnectorException(
                    "no person '" + username + "' under " + directory.peopleDn()));
  }

  /** The DN of the person with this login name, or empty for nobody; more than one is an error. */
  Optional<LdapName> find(String username) {
    List<String> found;
    try {
      found =
          ldap.search(
              query()
                  .base(directory.peopleDn())
                  .where("objectClass")
                  .is(directory.userObjectClass())
                  .and(directory.userIdAttribute())
                  .is(username),
              (Object ctx) -> ((DirContextAdapter) ctx).getNameInNamespace());
    } catch (NamingException e) {
      throw new ConnectorException(
          "could not look up " + username + " in the directory: " + e.getMessage(), e);
    }
    if (found.size() > 1) {
      throw new ConnectorException(
          "more than one person '" + username + "' under " + directory.peopleDn());
    }
    return found.stream().findFirst().map(People::parseDn);
  }

  static LdapName parseDn(String dn) {
    try {
      return new LdapName(dn);
    } catch (InvalidNameException | IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + dn + "' is not a valid DN", e);
    }
  }
}
