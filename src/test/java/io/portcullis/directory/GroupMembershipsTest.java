package io.portcullis.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A person's groups are cached, and an authorization change made through Portcullis applies at once
 * all the same (OWASP ASVS 8.3.2): a grant or revoke drops the person's entry.
 */
@PortcullisTest
class GroupMembershipsTest {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final String ALICE = "uid=alice,ou=people,dc=portcullis,dc=demo";

  @Autowired GroupMemberships memberships;
  @Autowired LdapGroupConnector connector;
  @Autowired InMemoryDirectoryServer directoryServer;

  @AfterEach
  void cleanUp() {
    connector.revoke(Username.of("alice"), Target.of(STAGING));
  }

  @Test
  void aGrantOrRevokeThroughPortcullisAppliesAtOnce() {
    assertThat(memberships.of(Username.of("alice"))).containsExactly("developers");

    connector.grant(Username.of("alice"), Target.of(STAGING));
    assertThat(memberships.of(Username.of("alice")))
        .containsExactlyInAnyOrder("developers", "staging-db-admin");

    connector.revoke(Username.of("alice"), Target.of(STAGING));
    assertThat(memberships.of(Username.of("alice"))).containsExactly("developers");
  }

  @Test
  void aChangeMadeElsewhereIsSeenAfterTheCacheDropsThePerson() throws Exception {
    assertThat(memberships.of(Username.of("Alice")))
        .as("names compare without case")
        .containsExactly("developers");
    directoryServer.modify(STAGING, new Modification(ModificationType.ADD, "member", ALICE));

    assertThat(memberships.of(Username.of("alice")))
        .as("still cached")
        .containsExactly("developers");
    memberships.forget(Username.of("alice"));
    assertThat(memberships.of(Username.of("alice")))
        .containsExactlyInAnyOrder("developers", "staging-db-admin");
  }

  @Test
  void nobodyHasNoGroups() {
    assertThat(memberships.of(Username.of("nobody-here"))).isEmpty();
  }

  @Test
  void theCacheIsShortOrOff() {
    assertThat(new DirectoryPoolProperties(null, null, null).groupCacheTtl())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(new DirectoryPoolProperties(Duration.ZERO, null, null).groupCacheTtl()).isZero();
    assertThatThrownBy(() -> new DirectoryPoolProperties(Duration.ofHours(1), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group-cache-ttl");
    assertThatThrownBy(() -> new DirectoryPoolProperties(Duration.ofSeconds(-1), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group-cache-ttl");
    assertThatThrownBy(() -> new DirectoryPoolProperties(null, null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pool-idle-timeout");
  }
}
