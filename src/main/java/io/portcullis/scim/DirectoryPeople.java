package io.portcullis.scim;

import static org.springframework.ldap.query.LdapQueryBuilder.query;

import io.portcullis.directory.DirectoryProperties;
import io.portcullis.security.Caller;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.stereotype.Component;

/**
 * People read from the directory, by login name, for the identity provider to match. The name reaches
 * the LDAP filter only through Spring LDAP's query builder, which escapes it; the directory matches it
 * without regard to case, as it does at a login, and answers with its own spelling.
 */
@Component
class DirectoryPeople {

  private static final Pattern USERNAME = Pattern.compile(Caller.USERNAME_PATTERN);
  private static final String[] ATTRIBUTES = {"givenName", "sn", "displayName", "cn", "mail"};

  private final LdapTemplate ldap;
  private final DirectoryProperties directory;

  DirectoryPeople(LdapTemplate ldap, DirectoryProperties directory) {
    this.ldap = ldap;
    this.directory = directory;
  }

  /**
   * The person with this login name; empty for nobody, and for a name no login could have.
   *
   * @throws AmbiguousPersonException when the directory holds more than one person of this name
   */
  Optional<Person> find(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      return Optional.empty();
    }
    String[] attributes = Arrays.copyOf(ATTRIBUTES, ATTRIBUTES.length + 1);
    attributes[ATTRIBUTES.length] = directory.userIdAttribute();
    List<Person> found = ldap.search(
        query().base(directory.peopleDn()).attributes(attributes)
            .where("objectClass").is(directory.userObjectClass())
            .and(directory.userIdAttribute()).is(username),
        (AttributesMapper<Person>) entry -> person(entry, username));
    if (found.size() > 1) {
      throw new AmbiguousPersonException(found.size());
    }
    return found.stream().findFirst();
  }

  /** The directory's spelling of the name that matched: of several values, the one that equals it but for case. */
  private Person person(Attributes entry, String asked) throws NamingException {
    String username = all(entry, directory.userIdAttribute()).stream().filter(asked::equalsIgnoreCase).findFirst().orElse(asked);
    String displayName = first(entry, "displayName");
    return new Person(username, first(entry, "givenName"), first(entry, "sn"), displayName != null ? displayName : first(entry, "cn"),
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

  /** Two entries answer to one login name: the directory must be mended, Portcullis cannot tell who is meant. */
  static final class AmbiguousPersonException extends RuntimeException {
    AmbiguousPersonException(int count) {
      super(count + " people in the directory have this login name");
    }
  }
}
