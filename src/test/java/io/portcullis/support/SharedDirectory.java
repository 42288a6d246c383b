package io.portcullis.support;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.core.io.ClassPathResource;

/**
 * The demo organisation in a directory of its own, outside any node, as a company's LDAP server is:
 * the nodes of a cluster test or benchmark all reach it over LDAP on a free port, with the demo
 * profile's schema and admin bind. {@link #settings} are the arguments that point a node at it
 * instead of an embedded directory of its own.
 */
public final class SharedDirectory {

  public static final String BASE_DN = "dc=portcullis,dc=demo";
  public static final String ADMIN = "cn=admin,dc=portcullis,dc=demo";
  public static final String ADMIN_PASSWORD = "admin-demo";

  private SharedDirectory() {}

  /**
   * Starts the demo directory, listening on a free port of localhost; the interceptors see every
   * request of an LDAP client (a test's way to make the directory hang, {@link HangingDirectory}).
   */
  public static InMemoryDirectoryServer start(InMemoryOperationInterceptor... interceptors) {
    try {
      InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
      for (InMemoryOperationInterceptor interceptor : interceptors) {
        config.addInMemoryOperationInterceptor(interceptor);
      }
      config.addAdditionalBindCredentials(ADMIN, ADMIN_PASSWORD);
      config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
      // as a company's directory indexes them: without, a search for a person's groups compares
      // every member value of every group (with 100,000 memberships, half a second of the
      // directory's CPU per request). Not objectClass: every filter pairs it with uid or member,
      // and UnboundID intersects the candidate sets of every indexed component, so the set of all
      // people (objectClass=inetOrgPerson) made each search sort and compare every person's DN (85%
      // of the directory's CPU in a JFR profile)
      config.setEqualityIndexAttributes("member", "uid");
      try (InputStream schema = new ClassPathResource("demo/schema.ldif").getInputStream()) {
        config.setSchema(
            Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(schema)));
      }
      InMemoryDirectoryServer directory = new InMemoryDirectoryServer(config);
      try (InputStream ldif = new ClassPathResource("demo/organisation.ldif").getInputStream()) {
        directory.importFromLDIF(true, new LDIFReader(ldif));
      }
      directory.startListening();
      return directory;
    } catch (Exception e) {
      throw new IllegalStateException(
          "could not start the shared demo directory: " + e.getMessage(), e);
    }
  }

  /**
   * A node's arguments for these directories (several are copies of one directory, which a node
   * fails over between in the order given), and no embedded one of its own.
   */
  public static List<String> settings(InMemoryDirectoryServer... directories) {
    return List.of(
        "--spring.autoconfigure.exclude=io.portcullis.demo.DemoDirectoryAutoConfiguration",
        "--spring.ldap.urls="
            + Arrays.stream(directories)
                .map(d -> "ldap://localhost:" + d.getListenPort())
                .collect(Collectors.joining(",")),
        "--spring.ldap.username=" + ADMIN,
        "--spring.ldap.password=" + ADMIN_PASSWORD);
  }
}
