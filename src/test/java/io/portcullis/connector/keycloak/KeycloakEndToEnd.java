package io.portcullis.connector.keycloak;

import io.portcullis.connector.postgresql.PostgresTarget;
import io.portcullis.support.KeycloakServer;
import io.portcullis.support.TcpProxy;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The product end to end against the real systems, on a random port with its job executor running:
 * the demo's ldap-group, a keycloak-group instance {@code sso} on the JVM's Keycloak, reached
 * through a link a test can cut ({@link Initializer#link()}, cut while the context starts: a
 * Keycloak that is down at start-up does not stop it), and the postgresql-role instance {@code
 * app-db} of {@link PostgresTarget}. The catalog has one entry on each. One context for every test
 * class that wears this annotation (one Keycloak start per JVM in any case), run with {@code
 * -Pkeycloak}.
 */
@java.lang.annotation.Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("keycloak")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "camunda.bpm.job-execution.enabled=true",
      "portcullis.requests.min-duration=PT1S"
    })
@ActiveProfiles({"demo", "test"})
@ContextConfiguration(
    initializers = {PostgresTarget.Initializer.class, KeycloakEndToEnd.Initializer.class})
public @interface KeycloakEndToEnd {

  String GROUP = "/engineering/prod-readers";

  final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static TcpProxy link;

    /** The link between the application and Keycloak. */
    public static synchronized TcpProxy link() {
      if (link == null) {
        URI keycloak = KeycloakServer.get().url();
        link = new TcpProxy(keycloak.getHost(), keycloak.getPort());
      }
      return link;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
      link().cut();
      String sso = "portcullis.connectors.sso.";
      // this source's list replaces the test profile's catalog: one entry per system
      TestPropertyValues.of(
              sso + "type=keycloak-group",
              sso + "server-url=http://127.0.0.1:" + link().port(),
              sso + "realm=" + KeycloakServer.REALM,
              sso + "client-id=" + KeycloakServer.CLIENT_ID,
              sso + "client-secret=" + KeycloakServer.CLIENT_SECRET,
              sso + "timeout=3s",
              "portcullis.catalog[0].id=prod-readers-sso",
              "portcullis.catalog[0].name=Production readers (SSO group)",
              "portcullis.catalog[0].description=Membership of the Keycloak group " + GROUP,
              "portcullis.catalog[0].connector=sso",
              "portcullis.catalog[0].target=" + GROUP,
              "portcullis.catalog[0].max-duration=PT1H",
              "portcullis.catalog[0].environment=staging",
              "portcullis.catalog[0].risk=medium",
              "portcullis.catalog[1].id=staging-db-admin",
              "portcullis.catalog[1].name=Staging database, administrator (LDAP group)",
              "portcullis.catalog[1].connector=ldap-group",
              "portcullis.catalog[1].target=cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo",
              "portcullis.catalog[1].max-duration=PT8H",
              "portcullis.catalog[1].environment=staging",
              "portcullis.catalog[1].risk=medium",
              "portcullis.catalog[2].id=app-db-readonly",
              "portcullis.catalog[2].name=Application database, read-only role",
              "portcullis.catalog[2].connector=app-db",
              "portcullis.catalog[2].target=${portcullis.test.pg-target.role}",
              "portcullis.catalog[2].max-duration=PT4H",
              "portcullis.catalog[2].environment=staging",
              "portcullis.catalog[2].risk=medium",
              // and so the test profile's bundles, which name resources of its catalog, by one of
              // these
              "portcullis.bundles[0].id=one-of-each",
              "portcullis.bundles[0].resources=staging-db-admin,app-db-readonly")
          .applyTo(context);
    }
  }
}
