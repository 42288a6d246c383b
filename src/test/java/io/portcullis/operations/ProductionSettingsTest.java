package io.portcullis.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.PortcullisApplication;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

/** The prod profile starts only on production settings, and says what is wrong when it does not. */
@ExtendWith(OutputCaptureExtension.class)
class ProductionSettingsTest {

  static final Properties DEMO = demo();

  @Test
  void goodProductionSettingsPass() {
    assertThat(ProductionSettings.problems(production())).isEmpty();
  }

  @Test
  void eachDemoOrMissingSettingIsNamed() {
    assertThat(ProductionSettings.problems(production().withProperty("spring.ldap.embedded.base-dn", "dc=portcullis,dc=demo")))
        .singleElement().asString().startsWith("spring.ldap.embedded.base-dn is set: that is the embedded demo directory");
    assertThat(ProductionSettings.problems(production().withProperty("spring.datasource.url", "jdbc:h2:file:./data/portcullis")))
        .singleElement().asString().startsWith("spring.datasource.url is not a PostgreSQL URL");
    assertThat(ProductionSettings.problems(production().withProperty("spring.datasource.password", "")))
        .singleElement().asString().contains("SPRING_DATASOURCE_PASSWORD", "no default password");
    assertThat(ProductionSettings.problems(production().withProperty("spring.ldap.urls", " ")))
        .singleElement().asString().startsWith("spring.ldap.urls is not set");
    assertThat(ProductionSettings.problems(production().withProperty("portcullis.audit.signing-key",
        DEMO.getProperty("portcullis.audit.signing-key")))).containsExactly("portcullis.audit.signing-key is the demo key, "
            + "which is public: java tools/GenerateAuditKeys.java makes a set of your own");
    assertThat(ProductionSettings.problems(production().withProperty("portcullis.scim.token-sha256",
        DEMO.getProperty("portcullis.scim.token-sha256").toUpperCase()))).singleElement().asString()
        .startsWith("portcullis.scim.token-sha256 is the hash of the demo's public SCIM token");
    assertThat(ProductionSettings.problems(production().withProperty("portcullis.scim.token-sha256", "ab".repeat(32)))).isEmpty();
    assertThat(ProductionSettings.problems(production().withProperty("portcullis.audit.hmac-key", "")))
        .containsExactly("portcullis.audit.hmac-key is not set (PORTCULLIS_AUDIT_HMAC_KEY): java tools/GenerateAuditKeys.java makes a set");
    MockEnvironment demoToo = production();
    demoToo.setActiveProfiles("prod", "demo");
    assertThat(ProductionSettings.problems(demoToo)).singleElement().asString().startsWith("the demo profile is active beside prod");
  }

  @Test
  void prodWithTheDemoSettingsRefusesToStartAndTheReportNamesEachProblem(CapturedOutput output) {
    SpringApplicationBuilder app = new SpringApplicationBuilder(PortcullisApplication.class).profiles("prod", "demo")
        .properties(Map.of("spring.main.banner-mode", "off", "server.port", "0", "spring.ldap.embedded.port", "0"));
    assertThatThrownBy(app::run).isInstanceOf(UnsafeProductionSettingsException.class);
    assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START",
        "The prod profile refuses to start with these settings:",
        "  - the demo profile is active beside prod",
        "  - spring.datasource.url is not set (SPRING_DATASOURCE_URL",
        "  - spring.datasource.password is not set (SPRING_DATASOURCE_PASSWORD): there is no default password",
        "  - spring.ldap.urls is not set",
        "  - portcullis.audit.hmac-key is the demo key, which is public",
        "  - portcullis.audit.signing-key is the demo key",
        "  - portcullis.audit.public-key is the demo key",
        "  - portcullis.scim.token-sha256 is the hash of the demo's public SCIM token");
    assertThat(output.getOut()).doesNotContain("ENGINE-00001").as("refused before the engine started");
  }

  @Test
  void prodWithoutAnyKeyNamesTheMissingOnes(CapturedOutput output) {
    SpringApplicationBuilder app = new SpringApplicationBuilder(PortcullisApplication.class).profiles("prod")
        .properties(Map.of("spring.main.banner-mode", "off", "server.port", "0"));
    // as the command line or the environment would set them: above the profile's own (empty) values
    assertThatThrownBy(() -> app.run("--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
        "--spring.datasource.username=portcullis", "--spring.datasource.password=secret", "--spring.ldap.urls=ldap://127.0.0.1:1",
        "--spring.ldap.username=cn=portcullis", "--spring.ldap.password=secret"))
        .isInstanceOf(UnsafeProductionSettingsException.class);
    assertThat(output.getOut() + output.getErr()).contains("  - portcullis.audit.hmac-key is not set",
        "  - portcullis.audit.signing-key is not set", "  - portcullis.audit.public-key is not set")
        .doesNotContain("  - spring.");
  }

  static MockEnvironment production() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("spring.datasource.url", "jdbc:postgresql://db.example.com:5432/portcullis")
        .withProperty("spring.datasource.username", "portcullis")
        .withProperty("spring.datasource.password", "from-a-vault")
        .withProperty("spring.ldap.urls", "ldaps://ldap.example.com:636")
        .withProperty("spring.ldap.username", "cn=portcullis,ou=services,dc=example,dc=com")
        .withProperty("spring.ldap.password", "from-a-vault")
        .withProperty("portcullis.audit.hmac-key", "aGVyZSBhcmUgdGhpcnR5LXR3byBieXRlcyBvZiBub3RoaW5nIQ==")
        .withProperty("portcullis.audit.signing-key", "not-the-demo-signing-key")
        .withProperty("portcullis.audit.public-key", "not-the-demo-public-key");
    env.setActiveProfiles("prod");
    return env;
  }

  private static Properties demo() {
    YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
    yaml.setResources(new ClassPathResource(ProductionSettings.DEMO_SETTINGS));
    return yaml.getObject();
  }
}
