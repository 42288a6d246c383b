package io.portcullis.notification;

import static org.springframework.ldap.query.LdapQueryBuilder.query;

import io.portcullis.directory.DirectoryProperties;
import io.portcullis.kernel.Username;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.springframework.ldap.NameNotFoundException;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.stereotype.Component;

/**
 * The e-mail addresses of a notice's recipients, read from the directory when the notice is sent
 * (so a person who joined the approver group since the request opened is told, and one who left is
 * not): a person's {@code mail} attribute, and for a group that of each member ({@code member:
 * <DN>}). People without an address are left out; a directory that does not answer fails the
 * sending, which is retried.
 */
@Component
class Mailboxes {

  static final String MAIL = "mail";

  private final LdapTemplate ldap;
  private final DirectoryProperties directory;

  Mailboxes(LdapTemplate ldap, DirectoryProperties directory) {
    this.ldap = ldap;
    this.directory = directory;
  }

  /**
   * The distinct addresses of the recipients, in the order they were named, without those excepted.
   */
  List<String> of(Notice.Recipients recipients) {
    Set<String> except = new HashSet<>();
    recipients.except().forEach(name -> except.add(key(name)));
    Set<String> addresses = new LinkedHashSet<>();
    for (String user : recipients.users()) {
      if (!except.contains(key(user))) {
        addresses.addAll(
            ldap
                .search(
                    query()
                        .base(directory.peopleDn())
                        .attributes(MAIL)
                        .where("objectClass")
                        .is(directory.userObjectClass())
                        .and(directory.userIdAttribute())
                        .is(user),
                    (Object ctx) -> mailOf((DirContextAdapter) ctx))
                .stream()
                .flatMap(List::stream)
                .toList());
      }
    }
    for (String group : recipients.groups()) {
      for (String member : members(group)) {
        addresses.addAll(person(member, except));
      }
    }
    return List.copyOf(addresses);
  }

  private List<String> members(String group) {
    return ldap
        .search(
            query()
                .base(directory.groups() + "," + directory.baseDn())
                .attributes(directory.memberAttribute())
                .where("objectClass")
                .is(directory.groupObjectClass())
                .and(directory.groupIdAttribute())
                .is(group),
            (Object ctx) -> {
              String[] values =
                  ((DirContextAdapter) ctx).getStringAttributes(directory.memberAttribute());
              return values == null ? List.<String>of() : List.of(values);
            })
        .stream()
        .flatMap(List::stream)
        .toList();
  }

  /**
   * A member's addresses; none for a member that is not a person with an address, or is excepted.
   */
  private List<String> person(String dn, Set<String> except) {
    LdapName name;
    try {
      name = new LdapName(dn);
    } catch (InvalidNameException e) {
      return List.of();
    }
    try {
      return ldap.lookup(
          name,
          new String[] {directory.userIdAttribute(), MAIL, "objectClass"},
          (Object ctx) -> {
            DirContextAdapter entry = (DirContextAdapter) ctx;
            String uid = entry.getStringAttribute(directory.userIdAttribute());
            String[] classes = entry.getStringAttributes("objectClass");
            boolean isPerson =
                classes != null
                    && List.of(classes).stream()
                        .anyMatch(c -> c.equalsIgnoreCase(directory.userObjectClass()));
            if (!isPerson || uid == null || except.contains(key(uid))) {
              return List.<String>of();
            }
            return mailOf(entry);
          });
    } catch (NameNotFoundException e) {
      // a member that no longer exists: nobody to tell
      return List.of();
    }
  }

  private static List<String> mailOf(DirContextAdapter entry) {
    String[] values = entry.getStringAttributes(MAIL);
    List<String> mails = new ArrayList<>();
    if (values != null) {
      for (String value : values) {
        if (value != null && value.contains("@") && !value.isBlank()) {
          mails.add(value.strip());
        }
      }
    }
    return mails;
  }

  /**
   * Names compare as the directory compares them ({@link Username#key}); one no login could have,
   * as it is.
   */
  private static String key(String name) {
    return Username.valid(name).map(Username::key).orElse(name);
  }
}
