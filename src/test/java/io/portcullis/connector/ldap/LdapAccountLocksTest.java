package io.portcullis.connector.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.ldap.LdapGroupProperties.AccountControlSettings;
import io.portcullis.connector.ldap.LdapGroupProperties.DisableMethod;
import io.portcullis.kernel.Username;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ldap.core.LdapTemplate;

/**
 * The ppolicy and Active Directory ways of disabling an account write what those directories read,
 * and keep what they do not own. The in-memory directory stores these attributes (test schema
 * connector/lockout-schema.ldif) but does not enforce them, so these tests check the values
 * written, not refused binds: that a bind fails is OpenLDAP's and Active Directory's part (README,
 * "Connectors").
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LdapAccountLocksTest {

  static final String ALICE = "uid=alice,ou=people," + LdapGroupConnectorTest.BASE;

  InMemoryDirectoryServer server;
  LdapTemplate ldap;

  @BeforeEach
  void startDirectory() throws Exception {
    InMemoryDirectoryServerConfig config =
        new InMemoryDirectoryServerConfig(LdapGroupConnectorTest.BASE);
    config.addAdditionalBindCredentials(LdapGroupConnectorTest.ADMIN, "admin-demo");
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 0));
    try (InputStream schema =
        getClass().getClassLoader().getResourceAsStream("connector/lockout-schema.ldif")) {
      config.setSchema(
          Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(schema)));
    }
    server = new InMemoryDirectoryServer(config);
    try (InputStream ldif =
        getClass().getClassLoader().getResourceAsStream("demo/organisation.ldif")) {
      server.importFromLDIF(true, new LDIFReader(ldif));
    }
    server.startListening();
    ldap = LdapGroupConnectorTest.template(server);
  }

  @AfterEach
  void stopDirectory() {
    server.shutDown(true);
  }

  AccountControl control(DisableMethod method) {
    return new LdapGroupConnector(
            ldap,
            LdapGroupConnectorTest.DIRECTORY,
            new LdapGroupProperties(500, AccountControlSettings.of(method)))
        .capability(AccountControl.class)
        .orElseThrow();
  }

  String attribute(String name) throws Exception {
    return server.getEntry(ALICE, name).getAttributeValue(name);
  }

  // --- OpenLDAP ppolicy

  @Test
  void ppolicyLocksWithThePermanentTimeAndEnableRemovesIt() throws Exception {
    AccountControl control = control(DisableMethod.PPOLICY);
    assertThat(control.isDisabled(Username.of("alice"))).isFalse();

    control.disable(Username.of("alice"));
    control.disable(Username.of("alice"));
    assertThat(attribute("pwdAccountLockedTime")).isEqualTo("000001010000Z");
    assertThat(control.isDisabled(Username.of("alice"))).isTrue();

    control.enable(Username.of("alice"));
    assertThatCode(() -> control.enable(Username.of("alice"))).doesNotThrowAnyException();
    assertThat(attribute("pwdAccountLockedTime")).isNull();
    assertThat(control.isDisabled(Username.of("alice"))).isFalse();
    // the account is otherwise untouched: the password still there
    assertThat(attribute("userPassword")).isEqualTo("alice-demo");
  }

  @Test
  void ppolicyEnableDoesNotLiftALockoutThatPpolicyItselfSet() throws Exception {
    // too many failed logins: ppolicy locks with the time it happened
    server.modify(
        ALICE,
        new Modification(ModificationType.REPLACE, "pwdAccountLockedTime", "20261101120000Z"));
    AccountControl control = control(DisableMethod.PPOLICY);
    assertThat(control.isDisabled(Username.of("alice"))).as("not disabled by Portcullis").isFalse();

    control.enable(Username.of("alice"));
    assertThat(attribute("pwdAccountLockedTime")).isEqualTo("20261101120000Z");

    control.disable(Username.of("alice"));
    assertThat(attribute("pwdAccountLockedTime")).as("made permanent").isEqualTo("000001010000Z");
  }

  // --- Active Directory userAccountControl

  void giveAliceUserAccountControl(int value) throws Exception {
    server.modify(
        ALICE,
        new Modification(ModificationType.ADD, "objectClass", "testActiveDirectoryUser"),
        new Modification(ModificationType.ADD, "userAccountControl", Integer.toString(value)));
  }

  @Test
  void activeDirectorySetsAndClearsOnlyTheAccountDisableBit() throws Exception {
    giveAliceUserAccountControl(0x10200); // NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD
    AccountControl control = control(DisableMethod.ACTIVE_DIRECTORY);
    assertThat(control.isDisabled(Username.of("alice"))).isFalse();

    control.disable(Username.of("alice"));
    control.disable(Username.of("alice"));
    assertThat(attribute("userAccountControl")).isEqualTo(Integer.toString(0x10202));
    assertThat(control.isDisabled(Username.of("alice"))).isTrue();

    control.enable(Username.of("alice"));
    control.enable(Username.of("alice"));
    assertThat(attribute("userAccountControl")).isEqualTo(Integer.toString(0x10200));
    assertThat(control.isDisabled(Username.of("alice"))).isFalse();
  }

  @Test
  void activeDirectoryRefusesAnEntryWithoutUserAccountControl() {
    AccountControl control = control(DisableMethod.ACTIVE_DIRECTORY);

    assertThatThrownBy(() -> control.disable(Username.of("alice")))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining("no userAccountControl");
  }

  @Test
  void noDirectoryHasSessionsToEnd() throws Exception {
    giveAliceUserAccountControl(0x200);
    for (DisableMethod method :
        new DisableMethod[] {DisableMethod.PPOLICY, DisableMethod.ACTIVE_DIRECTORY}) {
      assertThat(control(method).endSessions(Username.of("alice"))).as("%s", method).isFalse();
    }
  }
}
