package io.portcullis.directory;

import static org.springframework.ldap.query.LdapQueryBuilder.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.kernel.Username;
import java.util.List;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.stereotype.Component;

/**
 * A person's groups, read from the directory and kept for {@code
 * portcullis.directory.group-cache-ttl} (30 s unless configured), so that a burst of requests by
 * the same people does not ask the directory the same question each time. An authorization change
 * applies at once all the same: whatever changes a person's groups through Portcullis (a grant or
 * revoke of a group, an offboarding) calls {@link #forget(String)} right after the directory
 * confirmed the change, and the next request reads the groups afresh. A change made in the
 * directory by someone else is seen within the TTL.
 *
 * <p>Read over the pooled service-account connection ({@link DirectoryPooling}), without the
 * engine: no database connection is held while the directory answers.
 */
@Component
public class GroupMemberships {

  private final LdapTemplate ldap;
  private final DirectoryProperties directory;
  private final Cache<String, List<String>> cache;

  public GroupMemberships(
      LdapTemplate ldap, DirectoryProperties directory, DirectoryPoolProperties settings) {
    this.ldap = ldap;
    this.directory = directory;
    // a bound, so that a flood of distinct (even made-up) names cannot grow it without end
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(settings.groupCacheTtl())
            .maximumSize(100_000)
            .build();
  }

  /**
   * The ids of the groups that the person with this login name is a member of; empty for no such
   * person. Directory login names compare without case (uid, sAMAccountName), so does the cache
   * ({@link Username#key}).
   */
  public List<String> of(Username username) {
    return cache.get(username.key(), k -> read(username));
  }

  /** Drops what is known of this person's groups: called whenever Portcullis changes them. */
  public void forget(Username username) {
    cache.invalidate(username.key());
  }

  private List<String> read(Username username) {
    List<String> people =
        ldap.search(
            query()
                .base(directory.peopleDn())
                .where("objectClass")
                .is(directory.userObjectClass())
                .and(directory.userIdAttribute())
                .is(username.value()),
            (Object ctx) -> ((DirContextAdapter) ctx).getNameInNamespace());
    if (people.size() != 1) {
      return List.of();
    }
    return List.copyOf(
        ldap.search(
            query()
                .base(directory.groups() + "," + directory.baseDn())
                .attributes(directory.groupIdAttribute())
                .where("objectClass")
                .is(directory.groupObjectClass())
                .and(directory.memberAttribute())
                .is(people.get(0)),
            (Object ctx) ->
                ((DirContextAdapter) ctx).getStringAttribute(directory.groupIdAttribute())));
  }
}
