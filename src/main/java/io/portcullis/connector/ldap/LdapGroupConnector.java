package io.portcullis.connector.ldap;

import static org.springframework.ldap.query.LdapQueryBuilder.query;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.BatchRevoke;
import io.portcullis.connector.Capability;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Discovery;
import io.portcullis.connector.MemberListing;
import io.portcullis.directory.DirectoryPoolProperties;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.directory.GroupMemberships;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.directory.SearchControls;
import javax.naming.ldap.LdapName;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.AttributeInUseException;
import org.springframework.ldap.NameNotFoundException;
import org.springframework.ldap.NamingException;
import org.springframework.ldap.NoSuchAttributeException;
import org.springframework.ldap.control.PagedResultsDirContextProcessor;
import org.springframework.ldap.core.ContextMapper;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.SingleContextSource;
import org.springframework.ldap.query.LdapQuery;
import org.springframework.stereotype.Component;

/**
 * Grants access as membership of an LDAP group (groupOfNames or Active Directory's group): the
 * target is the group's DN, and the person is found by login name under the directory's people.
 *
 * <p>Discovers every group under the directory's groups whose member attribute names the person,
 * and, when {@code portcullis.connectors.ldap-group.account-control.method} is set, disables
 * accounts ({@link LdapAccountControl}). Revokes several people from one group in one modify
 * ({@link #revokeAll}).
 *
 * <p>Names are never pasted into filters or DNs: the search filter is built by Spring LDAP's query
 * builder, which escapes it, and DNs are parsed and compared as {@link LdapName}s.
 */
@Component
public class LdapGroupConnector implements Connector, Discovery, MemberListing, BatchRevoke {

  public static final ConnectorName NAME = ConnectorName.of("ldap-group");

  private final LdapTemplate ldap;
  private final DirectoryProperties directory;
  private final GroupMemberships memberships;
  private final People people;
  private final int pageSize;
  private final Optional<AccountControl> accountControl;

  /**
   * A connector of its own, outside the application: nobody's groups are cached, so there is
   * nothing to drop.
   */
  public LdapGroupConnector(LdapTemplate ldap, DirectoryProperties directory) {
    this(ldap, directory, LdapGroupProperties.defaults());
  }

  /**
   * As {@link #LdapGroupConnector(LdapTemplate, DirectoryProperties)}, with settings of its own.
   */
  public LdapGroupConnector(
      LdapTemplate ldap, DirectoryProperties directory, LdapGroupProperties settings) {
    this(
        ldap,
        directory,
        new GroupMemberships(
            ldap, directory, new DirectoryPoolProperties(Duration.ZERO, null, null)),
        settings);
  }

  @Autowired
  public LdapGroupConnector(
      LdapTemplate ldap,
      DirectoryProperties directory,
      GroupMemberships memberships,
      LdapGroupProperties settings) {
    this.ldap = ldap;
    this.directory = directory;
    this.memberships = memberships;
    this.people = new People(ldap, directory);
    this.pageSize = settings.pageSize();
    this.accountControl =
        accountLock(settings.accountControl())
            .map(lock -> new LdapAccountControl(people, lock, memberships));
  }

  private Optional<AccountLock> accountLock(LdapGroupProperties.AccountControlSettings settings) {
    return switch (settings.method()) {
      case NONE -> Optional.empty();
      case PPOLICY -> Optional.of(new PpolicyLock(ldap));
      case ACTIVE_DIRECTORY -> Optional.of(new ActiveDirectoryLock(ldap));
      case STASHED_PASSWORD ->
          Optional.of(
              new StashedPasswordLock(
                  ldap, settings.stashAttribute(), settings.stashObjectClass()));
    };
  }

  @Override
  public <C extends Capability> Optional<C> capability(Class<C> type) {
    if (type == AccountControl.class) {
      return accountControl.map(type::cast);
    }
    return Connector.super.capability(type);
  }

  @Override
  public ConnectorName name() {
    return NAME;
  }

  @Override
  public void validateTarget(Target target) {
    LdapName group = parseDn(target.value());
    if (group.isEmpty()) {
      throw new IllegalArgumentException("the target of an ldap-group resource must be a group DN");
    }
  }

  /**
   * Two DNs name one group when the directory would match them: attribute types and values without
   * case, escapes decoded.
   */
  @Override
  public boolean sameTarget(Target a, Target b) {
    try {
      return parseDn(a.value()).equals(parseDn(b.value()));
    } catch (IllegalArgumentException notDns) {
      return a.equals(b);
    }
  }

  @Override
  public void grant(Username username, Target target) {
    LdapName person = personDn(username);
    try {
      modifyMembers(target, DirContext.ADD_ATTRIBUTE, person);
    } catch (AttributeInUseException alreadyMember) {
      // granting what is already granted succeeds
    } catch (NamingException e) {
      throw new ConnectorException(
          "could not add " + username + " to " + target + ": " + e.getMessage(), e);
    } finally {
      // the person's next request sees their groups as the directory now has them
      memberships.forget(username);
    }
  }

  @Override
  public void revoke(Username username, Target target) {
    LdapName person = personDn(username);
    try {
      modifyMembers(target, DirContext.REMOVE_ATTRIBUTE, person);
    } catch (NoSuchAttributeException notMember) {
      // revoking what is already gone succeeds
    } catch (NamingException e) {
      throw new ConnectorException(
          "could not remove " + username + " from " + target + ": " + e.getMessage(), e);
    } finally {
      memberships.forget(username);
    }
  }

  @Override
  public boolean holds(Username username, Target target) {
    LdapName person = personDn(username);
    try {
      DirContextAdapter group =
          (DirContextAdapter)
              ldap.lookup(
                  parseDn(target.value()),
                  new String[] {directory.memberAttribute()},
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
      throw new ConnectorException(
          "could not read the members of " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * One read of the group, one modify deleting the member values of those who are members, one
   * read-back. Only present values are deleted: LDAP refuses a modify that deletes a value the
   * entry lacks, whole. A value that went between the read and the modify (someone's single revoke)
   * fails it so; then each present person is revoked on their own, which tolerates that, and the
   * read-back tells the outcome all the same.
   */
  @Override
  public SortedMap<Username, Revoked> revokeAll(Target target, SortedSet<Username> names) {
    SortedMap<Username, Revoked> answer = new TreeMap<>();
    if (names.isEmpty()) {
      return answer;
    }
    LdapName group = parseDn(target.value());
    Map<Username, LdapName> known = new TreeMap<>();
    for (Username name : names) {
      Optional<LdapName> person = people.find(name.value());
      person.ifPresentOrElse(dn -> known.put(name, dn), () -> answer.put(name, Revoked.FAILED));
    }
    Map<LdapName, String> before = memberValues(group, target);
    BasicAttribute present = new BasicAttribute(directory.memberAttribute());
    known.values().stream()
        .filter(before::containsKey)
        .forEach(person -> present.add(before.get(person)));
    if (present.size() > 0) {
      try {
        ldap.modifyAttributes(
            group,
            new ModificationItem[] {new ModificationItem(DirContext.REMOVE_ATTRIBUTE, present)});
      } catch (NoSuchAttributeException goneMeanwhile) {
        known.forEach(
            (name, person) -> {
              if (before.containsKey(person)) {
                try {
                  revoke(name, target);
                } catch (ConnectorException failed) {
                  // the read-back below answers FAILED for them
                }
              }
            });
      } catch (NamingException e) {
        throw new ConnectorException(
            "could not remove "
                + present.size()
                + " members from "
                + target
                + ": "
                + e.getMessage(),
            e);
      } finally {
        known.keySet().forEach(memberships::forget);
      }
    }
    Map<LdapName, String> after = memberValues(group, target);
    known.forEach(
        (name, person) ->
            answer.put(
                name,
                after.containsKey(person)
                    ? Revoked.FAILED
                    : before.containsKey(person) ? Revoked.REMOVED : Revoked.ABSENT));
    return answer;
  }

  /** The group's member values by the DN each names; a value that is no DN names no one. */
  private Map<LdapName, String> memberValues(LdapName group, Target target) {
    String[] values;
    try {
      DirContextAdapter entry =
          (DirContextAdapter)
              ldap.lookup(group, new String[] {directory.memberAttribute()}, (Object ctx) -> ctx);
      values = entry.getStringAttributes(directory.memberAttribute());
    } catch (NamingException e) {
      throw new ConnectorException(
          "could not read the members of " + target + ": " + e.getMessage(), e);
    }
    Map<LdapName, String> byDn = new HashMap<>();
    for (String value : values == null ? new String[0] : values) {
      try {
        byDn.put(parseDn(value), value);
      } catch (IllegalArgumentException notADn) {
        // a value no entry can have is no one
      }
    }
    return byDn;
  }

  private void modifyMembers(Target target, int operation, LdapName person) {
    ModificationItem change =
        new ModificationItem(
            operation, new BasicAttribute(directory.memberAttribute(), person.toString()));
    ldap.modifyAttributes(parseDn(target.value()), new ModificationItem[] {change});
  }

  /**
   * Every group under the directory's groups whose member attribute names the person, found by the
   * directory's own DN matching (so a member value spelt differently is found too), page by page,
   * so that no server size limit cuts the answer short. The DNs are the directory's spelling.
   */
  @Override
  public SortedSet<Target> holdings(Username username) {
    Optional<LdapName> person = people.find(username.value());
    if (person.isEmpty()) {
      return Collections.emptySortedSet();
    }
    LdapQuery groups =
        query()
            .base(directory.groups() + "," + directory.baseDn())
            .where("objectClass")
            .is(directory.groupObjectClass())
            .and(directory.memberAttribute())
            .is(person.get().toString());
    SearchControls controls = new SearchControls();
    controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
    controls.setReturningAttributes(new String[] {"1.1"}); // the DNs are all that is needed
    ContextMapper<Target> dn = ctx -> Target.of(((DirContextAdapter) ctx).getNameInNamespace());
    SortedSet<Target> found = new TreeSet<>();
    try {
      // paging needs every page from the same connection
      SingleContextSource.doWithSingleContext(
          ldap.getContextSource(),
          operations -> {
            PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(pageSize);
            do {
              found.addAll(
                  operations.search(groups.base(), groups.filter().encode(), controls, dn, pages));
            } while (pages.hasMore());
            return null;
          });
    } catch (NamingException e) {
      throw new ConnectorException(
          "could not find the groups of " + username + ": " + e.getMessage(), e);
    }
    return Collections.unmodifiableSortedSet(found);
  }

  /**
   * The group's member values joined with the people under the directory's people base by the
   * directory's own DN matching: one read of the group, then the people page by page (so the cost
   * is one call plus one a page of people, whatever the group's size, and a member value that names
   * no person, such as a placeholder or a deleted person, is no one).
   */
  @Override
  public SortedSet<Username> members(Target target) {
    String[] values;
    try {
      DirContextAdapter group =
          (DirContextAdapter)
              ldap.lookup(
                  parseDn(target.value()),
                  new String[] {"objectClass", directory.memberAttribute()},
                  (Object ctx) -> ctx);
      String[] classes = group.getStringAttributes("objectClass");
      if (classes == null
          || Arrays.stream(classes).noneMatch(directory.groupObjectClass()::equalsIgnoreCase)) {
        throw new ConnectorException(
            target + " is not a " + directory.groupObjectClass() + ": its members cannot be read");
      }
      values = group.getStringAttributes(directory.memberAttribute());
    } catch (NameNotFoundException noSuchGroup) {
      return Collections.emptySortedSet();
    } catch (NamingException e) {
      throw new ConnectorException(
          "could not read the members of " + target + ": " + e.getMessage(), e);
    }
    if (values == null || values.length == 0) {
      return Collections.emptySortedSet();
    }
    Map<LdapName, Boolean> memberDns = new HashMap<>();
    for (String value : values) {
      try {
        memberDns.put(parseDn(value), Boolean.TRUE);
      } catch (IllegalArgumentException notADn) {
        // a value no entry can have is no one
      }
    }
    SortedSet<Username> found = new TreeSet<>();
    LdapQuery everyone =
        query().base(directory.peopleDn()).where("objectClass").is(directory.userObjectClass());
    SearchControls controls = new SearchControls();
    controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
    controls.setReturningAttributes(new String[] {directory.userIdAttribute()});
    ContextMapper<Optional<Username>> person =
        ctx -> {
          DirContextAdapter entry = (DirContextAdapter) ctx;
          if (!memberDns.containsKey(parseDn(entry.getNameInNamespace()))) {
            return Optional.empty();
          }
          return Username.valid(entry.getStringAttribute(directory.userIdAttribute()));
        };
    try {
      SingleContextSource.doWithSingleContext(
          ldap.getContextSource(),
          operations -> {
            PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(pageSize);
            do {
              operations
                  .search(everyone.base(), everyone.filter().encode(), controls, person, pages)
                  .forEach(name -> name.ifPresent(found::add));
            } while (pages.hasMore());
            return null;
          });
    } catch (NamingException e) {
      throw new ConnectorException(
          "could not read the people who are members of " + target + ": " + e.getMessage(), e);
    }
    return Collections.unmodifiableSortedSet(found);
  }

  LdapName personDn(Username username) {
    return people.dnOf(username.value());
  }

  private static LdapName parseDn(String dn) {
    return People.parseDn(dn);
  }
}
