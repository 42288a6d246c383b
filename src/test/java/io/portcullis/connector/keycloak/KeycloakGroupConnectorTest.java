package io.portcullis.connector.keycloak;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorContractTest;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.KeycloakServer;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * The shared connector contract, for keycloak-group against a real Keycloak ({@code -Pkeycloak}).
 */
@Tag("keycloak")
class KeycloakGroupConnectorTest extends ConnectorContractTest {

  static final ConnectorName NAME = ConnectorName.of("sso");

  private final KeycloakServer keycloak = KeycloakServer.get();
  private Username person;
  private Username otherPerson;

  static KeycloakGroupConnector connector(KeycloakServer keycloak) {
    return new KeycloakGroupConnector(
        NAME,
        KeycloakGroupSettings.of(
            keycloak.url(),
            KeycloakServer.REALM,
            KeycloakServer.CLIENT_ID,
            KeycloakServer.CLIENT_SECRET));
  }

  /** Fresh people for every test: what one test granted never shows in the next. */
  @BeforeEach
  void people() {
    person = Username.of(keycloak.createUser(fresh("person")));
    otherPerson = Username.of(keycloak.createUser(fresh("other")));
  }

  static String fresh(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  protected Connector rawConnector() {
    return connector(keycloak);
  }

  @Override
  protected Target target() {
    return Target.of("/engineering/prod-readers");
  }

  @Override
  protected Target otherTarget() {
    return Target.of("/support");
  }

  @Override
  protected Username person() {
    return person;
  }

  @Override
  protected Username otherPerson() {
    return otherPerson;
  }

  @Override
  protected boolean systemShowsHeld(Username username, Target target) {
    return keycloak.members(target.value()).contains(username.value());
  }

  @Override
  protected void grantByHand(Username username, Target target) {
    keycloak.addMember(username.value(), target.value());
  }

  @Override
  protected Username newPersonWithNothing() {
    return Username.of(keycloak.createUser(fresh("nothing")));
  }

  @Override
  protected Object systemState() {
    return keycloak.state();
  }

  @Override
  protected boolean canAuthenticate(Username username) {
    return keycloak.passwordGrant(username.value(), "openid").statusCode() == 200;
  }

  /**
   * Besides the shared ones: relative paths, an empty name, a trailing slash, control characters.
   */
  @Override
  protected Stream<String> hostileTargets() {
    return Stream.concat(
        super.hostileTargets(),
        Stream.of(
            "engineering/prod-readers",
            "/",
            "//",
            "/engineering//prod-readers",
            "/engineering/",
            "/engineering/prod-readers\n",
            "/no-such-group",
            "/engineering/../support"));
  }
}
