package io.portcullis.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.LdapContextSource;

/**
 * What a drift sweep's read of one resource costs: ldap-group's member listing of a group with
 * {@code bench.members} members (default 10,000) among as many people, timed, and the LDAP searches
 * it makes, counted at the server (UnboundID in-process).
 *
 * <p>Not a test: it prints figures. Run it with {@code ./mvnw -B -ntp -o -Pbench test
 * -Dtest=MemberListingBenchmark} ({@code -Dbench.members=10000 -Dbench.runs=5}).
 */
@Tag("benchmark")
class MemberListingBenchmark {

  private static final String BASE = "dc=portcullis,dc=demo";

  @Test
  void listTheMembersOfALargeGroup() throws Exception {
    int size = Integer.getInteger("bench.members", 10_000);
    int runs = Integer.getInteger("bench.runs", 5);
    AtomicInteger searches = new AtomicInteger();
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.addAdditionalBindCredentials("cn=admin", "secret");
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
    config.setMaxSizeLimit(0);
    config.addInMemoryOperationInterceptor(
        new InMemoryOperationInterceptor() {
          @Override
          public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
            searches.incrementAndGet();
          }
        });
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.startListening();
    try {
      server.add(
          new Entry(
              BASE,
              new Attribute("objectClass", "top", "domain"),
              new Attribute("dc", "portcullis")));
      server.add(
          new Entry(
              "ou=people," + BASE,
              new Attribute("objectClass", "top", "organizationalUnit"),
              new Attribute("ou", "people")));
      server.add(
          new Entry(
              "ou=groups," + BASE,
              new Attribute("objectClass", "top", "organizationalUnit"),
              new Attribute("ou", "groups")));
      List<String> members = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String uid = "person-" + i;
        String dn = "uid=" + uid + ",ou=people," + BASE;
        server.add(
            new Entry(
                dn,
                new Attribute(
                    "objectClass", "top", "person", "organizationalPerson", "inetOrgPerson"),
                new Attribute("uid", uid),
                new Attribute("cn", uid),
                new Attribute("sn", uid)));
        members.add(dn);
      }
      String group = "cn=big-group,ou=groups," + BASE;
      server.add(
          new Entry(
              group,
              new Attribute("objectClass", "top", "groupOfNames"),
              new Attribute("cn", "big-group"),
              new Attribute("member", members)));

      LdapContextSource source = new LdapContextSource();
      source.setUrl("ldap://127.0.0.1:" + server.getListenPort());
      source.setUserDn("cn=admin");
      source.setPassword("secret");
      source.afterPropertiesSet();
      LdapGroupConnector connector =
          new LdapGroupConnector(
              new LdapTemplate(source),
              new DirectoryProperties(
                  BASE, "ou=people", "ou=groups", null, null, null, null, null, null, null));

      for (int run = 0; run <= runs; run++) {
        searches.set(0);
        long start = System.nanoTime();
        SortedSet<Username> found = connector.members(Target.of(group));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(found).hasSize(size);
        System.out.printf(
            "member listing bench: %d memberships, %s: %d ms, %d LDAP searches%n",
            size, run == 0 ? "warm-up" : "run " + run, ms, searches.get());
      }
    } finally {
      server.shutDown(true);
    }
  }
}
