package io.portcullis.directory;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.ldap.LdapName;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.ldap.support.LdapUtils;
import org.springframework.stereotype.Component;

/**
 * The directory's part of readiness ({@code ldap} in the readiness group): UP only when the
 * directory answers a base-scope search of {@code portcullis.directory.base-dn}, asked on a
 * connection of its own (never a pooled one, which answered UP without asking the server while the
 * directory hung: issue 25), bound as the service account, with the connect and read timeouts of
 * every other directory call. So a directory that accepts connections but never answers makes the
 * node DOWN within the read timeout (one read timeout for each URL of {@code spring.ldap.urls} that
 * hangs, since the check fails over between them as logins and connectors do).
 *
 * <p>Health is open to anyone, and each check costs the directory a connection, a bind and a
 * search: a result is reused for {@link #REUSE_FOR}, and callers that come while a check runs wait
 * for that one instead of starting their own, so a flood of health calls asks the directory about
 * once a second. Replaces Spring Boot's LDAP health indicator (the bean name is the one it steps
 * aside for).
 */
@Component("ldapHealthIndicator")
class DirectoryHealth implements HealthIndicator {

  static final Duration REUSE_FOR = Duration.ofSeconds(1);

  private final LdapContextSource source;
  private final DirectoryProperties directory;
  private final ReentrantLock checking = new ReentrantLock();
  private volatile Checked last;

  private record Checked(Health health, long atNanos) {
    boolean fresh() {
      return System.nanoTime() - atNanos < REUSE_FOR.toNanos();
    }
  }

  DirectoryHealth(LdapContextSource source, DirectoryProperties directory) {
    this.source = source;
    this.directory = directory;
  }

  @Override
  public Health health() {
    Checked seen = last;
    if (seen != null && seen.fresh()) {
      return seen.health();
    }
    checking.lock();
    try {
      seen = last;
      if (seen != null && seen.fresh()) {
        return seen.health();
      }
      Health health = check();
      last = new Checked(health, System.nanoTime());
      return health;
    } finally {
      checking.unlock();
    }
  }

  private Health check() {
    long started = System.nanoTime();
    DirContext context = null;
    try {
      // Spring LDAP opens a context for explicit credentials without the pool, with the source's
      // environment (timeouts) and authentication strategy (StartTLS, if one is configured)
      context = source.getContext(source.getUserDn(), source.getPassword());
      SearchControls base =
          new SearchControls(
              SearchControls.OBJECT_SCOPE,
              1,
              (int) directory.readTimeout().toMillis(),
              new String[] {"1.1"},
              false,
              false);
      boolean found = context.search(relativeToSource(), "(objectClass=*)", base).hasMore();
      Health.Builder health =
          found ? Health.up() : Health.down().withDetail("error", "the base DN was not found");
      return health
          .withDetail("baseDn", directory.baseDn())
          .withDetail("millis", millisSince(started))
          .build();
    } catch (RuntimeException | NamingException e) {
      // the message names the server and what failed, never a credential
      return Health.down()
          .withDetail("baseDn", directory.baseDn())
          .withDetail("millis", millisSince(started))
          .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage())
          .build();
    } finally {
      if (context != null) {
        try {
          context.close();
        } catch (NamingException ignored) {
          // the check is over either way
        }
      }
    }
  }

  /**
   * The base DN as a name in the source's context, which is below spring.ldap.base when that is
   * set.
   */
  private LdapName relativeToSource() {
    LdapName baseDn = LdapUtils.newLdapName(directory.baseDn());
    LdapName sourceBase = source.getBaseLdapName();
    return sourceBase.isEmpty() || !baseDn.startsWith(sourceBase.getRdns())
        ? baseDn
        : LdapUtils.removeFirst(baseDn, sourceBase);
  }

  private static long millisSince(long started) {
    return Duration.ofNanos(System.nanoTime() - started).toMillis();
  }
}
