package io.portcullis.scim;

import static org.springframework.ldap.query.LdapQueryBuilder.query;

import io.portcullis.directory.DirectoryProperties;
import io.portcullis.kernel.Username;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;
import org.springframework.ldap.control.PagedResultsDirContextProcessor;
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.SingleContextSource;
import org.springframework.ldap.query.LdapQuery;
import org.springframework.stereotype.Component;

/**
 * People read from the directory, one by login name or all of them, for the identity provider to
 * match. The name reaches the LDAP filter only through Spring LDAP's query builder, which escapes
 * it; the directory matches it without regard to case, as it does at a login, and answers with its
 * own spelling.
 */
@Component
class DirectoryPeople {

  private static final String[] ATTRIBUTES = {"givenName", "sn", "displayName", "cn", "mail"};

  /**
   * Below Active Directory's default MaxPageSize (1000), as the ldap-group connector's discovery.
   */
  private static final int PAGE_SIZE = 500;

  private final LdapTemplate ldap;
  private final DirectoryProperties directory;

  DirectoryPeople(LdapTemplate ldap, DirectoryProperties directory) {
    this.ldap = ldap;
    this.directory = directory;
  }

  /**
   * The person with this login name; empty for nobody.
   *
   * @throws AmbiguousPersonException when the directory holds more than one person of this name
   */
  Optional<Person> find(Username username) {
    List<Person> found =
        ldap.search(
            query()
                .base(directory.peopleDn())
                .attributes(attributes())
                .where("objectClass")
                .is(directory.userObjectClass())
                .and(directory.userIdAttribute())
                .is(username.value()),
            (AttributesMapper<Person>) entry -> person(entry, username));
    if (found.size() > 1) {
      throw new AmbiguousPersonException(found.size());
    }
    return found.stream().findFirst();
  }

  /**
   * Everyone under the directory's people, in the order of their login names (without regard to
   * case), read page by page so that no server size limit cuts the answer short.
   *
   * @throws TooManyPeopleException past {@code limit}: the answer would be too large to hand out at
   *     once
   */
  List<Person> all(int limit) {
    LdapQuery everyone =
        query().base(directory.peopleDn()).where("objectClass").is(directory.userObjectClass());
    SearchControls controls = new SearchControls();
    controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
    controls.setReturningAttributes(attributes());
    List<Person> found = new ArrayList<>();
    // paging needs every page from the same connection
    SingleContextSource.doWithSingleContext(
        ldap.getContextSource(),
        operations -> {
          PagedResultsDirContextProcessor pages = new PagedResultsDirContextProcessor(PAGE_SIZE);
          do {
            found.addAll(
                operations.search(
                    everyone.base(),
                    everyone.filter().encode(),
                    controls,
                    (AttributesMapper<Person>) entry -> person(entry, null),
                    pages));
            if (found.size() > limit) {
              throw new TooManyPeopleException(limit);
            }
          } while (pages.hasMore());
          return null;
        });
    // a person whose name no login could have is nobody Portcullis can offboard: left out
    found.removeIf(Objects::isNull);
    found.sort(Comparator.comparing(p -> p.username().key()));
    return found;
  }

  private String[] attributes() {
    String[] attributes = Arrays.copyOf(ATTRIBUTES, ATTRIBUTES.length + 1);
    attributes[ATTRIBUTES.length] = directory.userIdAttribute();
    return attributes;
  }

  /**
   * The directory's spelling of the name that matched: of several values, the one that is the same
   * name ({@link Username#sameAs}); listed, without a name asked for, the first. Null for an entry
   * whose name no login could have.
   */
  private Person person(Attributes entry, Username asked) throws NamingException {
    List<String> names = all(entry, directory.userIdAttribute());
    Username username =
        asked == null
            ? names.stream().findFirst().flatMap(Username::valid).orElse(null)
            : names.stream()
                .map(Username::valid)
                .flatMap(Optional::stream)
                .filter(asked::sameAs)
                .findFirst()
                .orElse(asked);
    if (username == null) {
      return null;
    }
    String displayName = first(entry, "displayName");
    return new Person(
        username,
        first(entry, "givenName"),
        first(entry, "sn"),
        displayName != null ? displayName : first(entry, "cn"),
        all(entry, "mail"));
  }

  private static String first(Attributes entry, String name) throws NamingException {
    Attribute attribute = entry.get(name);
    return attribute == null || attribute.size() == 0 ? null : String.valueOf(attribute.get(0));
  }

  private static List<String> all(Attributes entry, String name) throws NamingException {
    Attribute attribute = entry.get(name);
    if (attribute == null) {
      return List.of();
    }
    String[] values = new String[attribute.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = String.valueOf(attribute.get(i));
    }
    return List.of(values);
  }

  /** More people than one answer may hold. */
  static final class TooManyPeopleException extends RuntimeException {
    private final int limit;

    TooManyPeopleException(int limit) {
      super("more than " + limit + " people in the directory");
      this.limit = limit;
    }

    int limit() {
      return limit;
    }
  }

  /**
   * Two entries answer to one login name: the directory must be mended, Portcullis cannot tell who
   * is meant.
   */
  static final class AmbiguousPersonException extends RuntimeException {
    AmbiguousPersonException(int count) {
      super(count + " people in the directory have this login name");
    }
  }
}
