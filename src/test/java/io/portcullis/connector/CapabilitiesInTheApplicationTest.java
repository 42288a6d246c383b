package io.portcullis.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.security.DirectoryLogin;
import io.portcullis.support.PortcullisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The demo application's ldap-group connector has both capabilities through the registry, and a
 * person it disables cannot log in at Portcullis' own door, even right after a login of theirs left
 * a pooled, authenticated directory connection behind.
 */
@PortcullisTest
class CapabilitiesInTheApplicationTest {

  @Autowired Connectors connectors;
  @Autowired DirectoryLogin login;

  @AfterEach
  void enableErin() {
    connectors
        .named(ConnectorName.of("ldap-group"), AccountControl.class)
        .ifPresent(control -> control.enable(Username.of("erin")));
  }

  @Test
  void theDemoConnectorDiscoversAndControlsAccounts() {
    assertThat(connectors.withCapability(Discovery.class))
        .containsOnlyKeys(ConnectorName.of("ldap-group"));
    // the demo's credential instances disable a leaver's keys and tokens at the freeze; they have
    // nothing to discover
    assertThat(connectors.withCapability(AccountControl.class))
        .containsOnlyKeys(
            ConnectorName.of("ldap-group"),
            ConnectorName.of("ci-api-key"),
            ConnectorName.of("deploy-api"));
    assertThat(
            connectors
                .named(ConnectorName.of("ldap-group"), Discovery.class)
                .orElseThrow()
                .holdings(Username.of("erin")))
        .containsExactly(Target.of("cn=developers,ou=groups,dc=portcullis,dc=demo"));
  }

  /**
   * A disabled person is refused at the next login, although a pooled connection of theirs is still
   * open: the password is checked by a bind of its own (security/DirectoryEntries#binds).
   */
  @Test
  void aDisabledPersonCannotLogInAndCanAgainOnceEnabled() {
    AccountControl control =
        connectors.named(ConnectorName.of("ldap-group"), AccountControl.class).orElseThrow();
    assertThat(login.login("erin", "erin-demo", "api", "192.0.2.10")).isPresent();

    control.disable(Username.of("erin"));
    assertThat(login.login("erin", "erin-demo", "api", "192.0.2.10")).isEmpty();

    control.enable(Username.of("erin"));
    assertThat(login.login("erin", "erin-demo", "api", "192.0.2.10")).isPresent();
  }
}
