package io.portcullis.connector.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorInstances;
import io.portcullis.connector.ConnectorSettings;
import io.portcullis.connector.InvalidConnectorSettingsException;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keycloak-group type's settings and targets, without a Keycloak: a bad instance stops start-up
 * naming the setting and never its value; nothing is contacted at start-up (the server URL here
 * answers nothing); a target must be an absolute group path.
 */
class KeycloakGroupConnectorTypeTest {

  private static final String SECRET = "kc-secret-never-shown";
  private static final ConnectorName SSO = ConnectorName.of("sso");

  private static Map<String, String> good() {
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "type",
                "keycloak-group",
                "server-url",
                "http://127.0.0.1:9",
                "realm",
                "company",
                "client-id",
                "portcullis",
                "client-secret",
                SECRET));
    return settings;
  }

  private static Connector create(Map<String, String> settings) {
    return new KeycloakGroupConnectorType().create(SSO, ConnectorSettings.of(SSO, settings));
  }

  @Test
  void anInstanceIsBuiltUnderItsNameWithoutContactingKeycloak() {
    Map<String, String> flattened = new HashMap<>();
    good().forEach((key, value) -> flattened.put("sso." + key, value));
    flattened.put("sso.timeout", "2s");
    flattened.put("sso.login", "{username}@company.com");

    ConnectorInstances instances =
        new ConnectorInstances(flattened, List.of(new KeycloakGroupConnectorType()));

    assertThat(instances.toString()).doesNotContain(SECRET);
    Connector sso = create(good());
    assertThat(sso.name()).isEqualTo(SSO);
    assertThat(sso).isInstanceOf(KeycloakGroupConnector.class);
  }

  @ParameterizedTest(name = "without {0}")
  @ValueSource(strings = {"server-url", "realm", "client-id", "client-secret"})
  void aMissingSettingIsNamed(String key) {
    Map<String, String> settings = good();
    settings.remove(key);

    assertThatThrownBy(() -> create(settings))
        .isInstanceOf(InvalidConnectorSettingsException.class)
        .hasMessageContaining("portcullis.connectors.sso." + key)
        .hasMessageNotContaining(SECRET);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "server-url|ftp://sso.example.com",
        "server-url|sso.example.com",
        "server-url|http://user:pw@sso.example.com",
        "server-url|http://sso.example.com/?x=1",
        "server-url|http://a b",
        "realm|../master",
        "realm|company/x",
        "client-id|a b",
        "timeout|0s",
        "timeout|2m",
        "timeout|soon"
      })
  void aMalformedSettingIsNamedWithoutItsValue(String key, String value) {
    Map<String, String> settings = good();
    settings.put(key, value);

    assertThatThrownBy(() -> create(settings))
        .isInstanceOf(InvalidConnectorSettingsException.class)
        .hasMessageStartingWith("portcullis.connectors.sso." + key + ":")
        .hasMessageNotContaining(value)
        .hasMessageNotContaining(SECRET);
  }

  @ParameterizedTest(name = "target \"{0}\"")
  @ValueSource(
      strings = {
        "engineering",
        "engineering/prod-readers",
        "/",
        "//",
        "/engineering/",
        "/a//b",
        "/a/../b",
        "/./a",
        "/..",
        "/a\tb",
        "/a\u0000",
        " /a",
        "*"
      })
  void aTargetThatIsNotAnAbsoluteGroupPathIsRefused(String target) {
    assertThatThrownBy(() -> create(good()).validateTarget(Target.of(target)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute path");
  }

  @ParameterizedTest(name = "target \"{0}\"")
  @ValueSource(
      strings = {"/engineering/prod-readers", "/support", "/Été team/on call", "/a.b/c..d"})
  void anAbsoluteGroupPathIsAccepted(String target) {
    create(good()).validateTarget(Target.of(target));
  }
}
