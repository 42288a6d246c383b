package io.portcullis.security;

import io.portcullis.directory.DirectoryProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.ldap.LdapName;
import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.springframework.ldap.AuthenticationException;
import org.springframework.ldap.NamingException;
import org.springframework.ldap.control.PagedResultsDirContextProcessor;
import org.springframework.ldap.core.ContextMapper;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.ldap.core.support.SingleContextSource;
import org.springframework.ldap.filter.Filter;
import org.springframework.ldap.support.LdapUtils;

/**
 * The directory's people and groups as the engine's identity provider reads them ({@link
 * DirectoryIdentitySession}): over Spring LDAP's pooled service-account connections ({@code
 * directory.DirectoryPooling}), with the timeouts of every directory call ({@code
 * directory.DirectoryTimeouts}) and the failover of {@code spring.ldap.urls} (one connection goes
 * to the first server that answers), page by page so that no server size limit cuts an answer
 * short. A directory that cannot be asked is an {@link IdentityProviderException}: an outage, never
 * an empty answer or a wrong password ({@code DirectoryUnavailableException}).
 */
final class DirectoryEntries {

  static final int PAGE_SIZE = 500;

  static final String FIRST_NAME = "givenName";
  static final String LAST_NAME = "sn";
  static final String EMAIL = "mail";

  /** A person under the directory's people. */
  record Person(LdapName dn, String id, String firstName, String lastName, String email) {}

  /** A group under the directory's groups; its name is its id, as the directory has no other. */
  record Team(LdapName dn, String id) {}

  private final LdapTemplate ldap;
  private final LdapContextSource source;
  private final DirectoryProperties directory;

  DirectoryEntries(LdapTemplate ldap, LdapContextSource source, DirectoryProperties directory) {
    this.ldap = ldap;
    this.source = source;
    this.directory = directory;
  }

  DirectoryProperties settings() {
    return directory;
  }

  /** The people that match the criteria, in the directory's order. */
  List<Person> people(Filter criteria) {
    Filter filter =
        DirectoryFilters.allOf(
            DirectoryFilters.is("objectClass", directory.userObjectClass()), criteria);
    String id = directory.userIdAttribute();
    ContextMapper<Person> person =
        ctx -> {
          DirContextAdapter entry = (DirContextAdapter) ctx;
          return new Person(
              dn(entry.getNameInNamespace()),
              entry.getStringAttribute(id),
              entry.getStringAttribute(FIRST_NAME),
              entry.getStringAttribute(LAST_NAME),
              entry.getStringAttribute(EMAIL));
        };
    return search(
        directory.peopleDn(), filter, new String[] {id, FIRST_NAME, LAST_NAME, EMAIL}, person);
  }

  /** The groups that match the criteria, in the directory's order. */
  List<Team> groups(Filter criteria) {
    String id = directory.groupIdAttribute();
    ContextMapper<Team> team =
        ctx -> {
          DirContextAdapter entry = (DirContextAdapter) ctx;
          return new Team(dn(entry.getNameInNamespace()), entry.getStringAttribute(id));
        };
    return search(groupsDn(), groupFilter(criteria), new String[] {id}, team);
  }

  /**
   * The member values of the groups that match the criteria, as DNs (a value that is not a DN is no
   * one).
   */
  Set<LdapName> membersOf(Filter groupCriteria) {
    String member = directory.memberAttribute();
    ContextMapper<List<LdapName>> members =
        ctx -> {
          String[] values = ((DirContextAdapter) ctx).getStringAttributes(member);
          List<LdapName> names = new ArrayList<>();
          for (String value : values == null ? new String[0] : values) {
            try {
              names.add(new LdapName(value));
            } catch (InvalidNameException | IllegalArgumentException notADn) {
              // a value no entry can have
            }
          }
          return names;
        };
    Set<LdapName> found = new HashSet<>();
    search(groupsDn(), groupFilter(groupCriteria), new String[] {member}, members)
        .forEach(found::addAll);
    return found;
  }

  /**
   * Whether the directory accepts this password for the entry, asked by a bind of its own: Spring
   * LDAP opens a connection for explicit credentials without the pool, because the JDK's pool keys
   * its connections by name and password and hands back one that bound before without asking the
   * directory again, so a person disabled (or offboarded) since would go on logging in for as long
   * as that connection lived.
   */
  boolean binds(LdapName dn, String password) {
    DirContext context = null;
    try {
      context = source.getContext(dn.toString(), password);
      return true;
    } catch (AuthenticationException wrong) {
      return false;
    } catch (NamingException e) {
      throw outage("check a password", e);
    } finally {
      LdapUtils.closeContext(context);
    }
  }

  private Filter groupFilter(Filter criteria) {
    return DirectoryFilters.allOf(
        DirectoryFilters.is("objectClass", directory.groupObjectClass()), criteria);
  }

  private String groupsDn() {
    return directory.groups() + "," + directory.baseDn();
  }

  private <T> List<T> search(
      String base, Filter filter, String[] attributes, ContextMapper<T> mapper) {
    SearchControls controls = new SearchControls();
    controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
    controls.setReturningAttributes(attributes);
    List<T> found = new ArrayList<>();
    String encoded = filter.encode();
    try {
      // paging needs every page from the same connection
      SingleContextSource.doWithSingleContext(
          ldap.getContextSource(),
          operations -> {
            PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(PAGE_SIZE);
            do {
              found.addAll(operations.search(base, encoded, controls, mapper, pages));
            } while (pages.hasMore());
            return null;
          });
    } catch (NamingException e) {
      throw outage("search " + base, e);
    }
    return found;
  }

  private static LdapName dn(String name) {
    return LdapUtils.newLdapName(name);
  }

  private static IdentityProviderException outage(String what, NamingException e) {
    // the message names the server and what failed, never a credential
    return new IdentityProviderException(
        "the directory could not " + what + ": " + e.getMessage(), e);
  }
}
