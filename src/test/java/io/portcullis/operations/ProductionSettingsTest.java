package io.portcullis.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.PortcullisApplication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
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
    assertThat(
            ProductionSettings.problems(
                production().withProperty("spring.ldap.embedded.base-dn", "dc=portcullis,dc=demo")))
        .singleElement()
        .asString()
        .startsWith("spring.ldap.embedded.base-dn is set: that is the embedded demo directory");
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty("spring.datasource.url", "jdbc:h2:file:./data/portcullis")))
        .singleElement()
        .asString()
        .startsWith("spring.datasource.url is not a PostgreSQL URL");
    assertThat(
            ProductionSettings.problems(
                production().withProperty("spring.datasource.password", "")))
        .singleElement()
        .asString()
        .contains("SPRING_DATASOURCE_PASSWORD", "no default password");
    assertThat(ProductionSettings.problems(production().withProperty("spring.ldap.urls", " ")))
        .singleElement()
        .asString()
        .startsWith("spring.ldap.urls is not set");
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty(
                        "portcullis.audit.signing-key",
                        DEMO.getProperty("portcullis.audit.signing-key"))))
        .containsExactly(
            "portcullis.audit.signing-key is the demo key, "
                + "which is public: java tools/GenerateAuditKeys.java makes a set of your own");
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty(
                        "portcullis.scim.token-sha256",
                        DEMO.getProperty("portcullis.scim.token-sha256").toUpperCase())))
        .singleElement()
        .asString()
        .startsWith("portcullis.scim.token-sha256 is the hash of the demo's public SCIM token");
    assertThat(
            ProductionSettings.problems(
                production().withProperty("portcullis.scim.token-sha256", "ab".repeat(32))))
        .isEmpty();
    String demoResourceServer =
        DEMO.getProperty("portcullis.credentials.resource-servers.deploy-api.secret-sha256");
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty(
                        "portcullis.credentials.resource-servers.billing.secret-sha256",
                        demoResourceServer.toUpperCase())))
        .singleElement()
        .asString()
        .startsWith(
            "portcullis.credentials.resource-servers.billing.secret-sha256 is the hash of a demo resource server's public secret");
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty(
                        "portcullis.credentials.resource-servers.billing.secret-sha256",
                        "ab".repeat(32))))
        .isEmpty();
    assertThat(
            ProductionSettings.problems(production().withProperty("portcullis.audit.hmac-key", "")))
        .containsExactly(
            "portcullis.audit.hmac-key is not set (PORTCULLIS_AUDIT_HMAC_KEY): java tools/GenerateAuditKeys.java makes a set");
    MockEnvironment demoToo = production();
    demoToo.setActiveProfiles("prod", "demo");
    assertThat(ProductionSettings.problems(demoToo))
        .singleElement()
        .asString()
        .startsWith("the demo profile is active beside prod");
  }

  @Test
  void prodWithTheDemoSettingsRefusesToStartAndTheReportNamesEachProblem(CapturedOutput output) {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(PortcullisApplication.class)
            .profiles("prod", "demo")
            .properties(
                Map.of(
                    "spring.main.banner-mode",
                    "off",
                    "server.port",
                    "0",
                    "spring.ldap.embedded.port",
                    "0"));
    assertThatThrownBy(app::run).isInstanceOf(UnsafeProductionSettingsException.class);
    assertThat(output.getOut() + output.getErr())
        .contains(
            "APPLICATION FAILED TO START",
            "The prod profile refuses to start with these settings:",
            "  - the demo profile is active beside prod",
            "  - spring.datasource.url is not set (SPRING_DATASOURCE_URL",
            "  - spring.datasource.password is not set (SPRING_DATASOURCE_PASSWORD): there is no default password",
            "  - spring.ldap.urls is not set",
            "  - portcullis.audit.hmac-key is the demo key, which is public",
            "  - portcullis.audit.signing-key is the demo key",
            "  - portcullis.audit.public-key is the demo key",
            "  - portcullis.scim.token-sha256 is the hash of the demo's public SCIM token");
    assertThat(output.getOut())
        .doesNotContain("ENGINE-00001")
        .as("refused before the engine started");
  }

  @Test
  void prodWithoutAnyKeyNamesTheMissingOnes(CapturedOutput output) {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(PortcullisApplication.class)
            .profiles("prod")
            .properties(Map.of("spring.main.banner-mode", "off", "server.port", "0"));
    // as the command line or the environment would set them: above the profile's own (empty) values
    assertThatThrownBy(
            () ->
                app.run(
                    "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                    "--spring.datasource.username=portcullis",
                    "--spring.datasource.password=secret",
                    "--spring.ldap.urls=ldaps://127.0.0.1:1",
                    "--spring.ldap.username=cn=portcullis",
                    "--spring.ldap.password=secret"))
        .isInstanceOf(UnsafeProductionSettingsException.class);
    assertThat(output.getOut() + output.getErr())
        .contains(
            "  - portcullis.audit.hmac-key is not set",
            "  - portcullis.audit.signing-key is not set",
            "  - portcullis.audit.public-key is not set")
        .doesNotContain("  - spring.");
  }

  @Test
  void theDemoTokenSigningKeyIsRefusedAsCurrentOrPrevious() {
    String demo = DEMO.getProperty("portcullis.credentials.signing-keys.current.private-key");
    for (String which : List.of("current", "previous")) {
      String key = "portcullis.credentials.signing-keys." + which + ".private-key";
      for (String written : List.of(pem(demo), demo.substring(0, 30) + "\n" + demo.substring(30))) {
        assertThat(ProductionSettings.problems(production().withProperty(key, written)))
            .as(key + " written as " + written)
            .containsExactly(
                key
                    + " is the demo's token-signing key, which is public: make a key of your own (README, \"JWTs\")");
      }
    }
    // a key of one's own is no problem
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty(
                        "portcullis.credentials.signing-keys.current.private-key",
                        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAAAA")))
        .isEmpty();
  }

  @Test
  void theDemoKeysAreRecognisedHoweverTheyAreWritten() {
    for (String key : ProductionSettings.AUDIT_KEYS) {
      String demo = DEMO.getProperty(key);
      for (String written :
          List.of(
              pem(demo),
              demo.substring(0, 20) + "\n" + demo.substring(20),
              "  " + demo + "\n",
              demo.substring(0, 10) + " " + demo.substring(10))) {
        assertThat(ProductionSettings.problems(production().withProperty(key, written)))
            .as(key + " written as " + written)
            .containsExactly(
                key
                    + " is the demo key, which is public: java tools/GenerateAuditKeys.java makes a set of your own");
      }
    }
    // not base64 at all: not the demo key (AuditKeys refuses it at start-up, naming it)
    assertThat(
            ProductionSettings.problems(
                production().withProperty("portcullis.audit.hmac-key", "-----")))
        .isEmpty();
  }

  @Test
  void eachPlainTransportIsNamed() {
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty("portcullis.public-url", "http://portcullis.example.com")))
        .singleElement()
        .asString()
        .startsWith("portcullis.public-url is http://portcullis.example.com: people's passwords")
        .endsWith("(a lab without TLS: portcullis.production.allow-plain-transport=true)");
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty(
                        "spring.ldap.urls", "ldaps://a.example.com ldap://b.example.com:389")))
        .singleElement()
        .asString()
        .startsWith(
            "spring.ldap.urls has ldap://b.example.com:389: every login binds with the person's password");
    for (String url :
        List.of(
            "jdbc:postgresql://db.example.com:5432/portcullis",
            "jdbc:postgresql://db.example.com/portcullis?sslmode=prefer",
            "jdbc:postgresql://127.0.0.1:5432,db.example.com:5432/portcullis?sslmode=disable",
            "jdbc:postgresql://[2001:db8::1]:5432/p")) {
      assertThat(
              ProductionSettings.problems(production().withProperty("spring.datasource.url", url)))
          .as(url)
          .singleElement()
          .asString()
          .startsWith("spring.datasource.url connects to ")
          .contains("without TLS");
    }
    for (String cookie : ProductionSettings.SECURE_COOKIES) {
      assertThat(ProductionSettings.problems(production().withProperty(cookie, "false")))
          .singleElement()
          .asString()
          .startsWith(cookie + " is false: the webapps' session would be sent over plain HTTP too");
    }
  }

  @Test
  void tlsOrALocalDatabasePasses() {
    for (String url :
        List.of(
            "jdbc:postgresql://db.example.com:5432/portcullis?sslmode=verify-full",
            "jdbc:postgresql://db.example.com/portcullis?ApplicationName=p&sslmode=require",
            "jdbc:postgresql://db.example.com/p?ssl=true",
            "jdbc:postgresql://db.example.com/p?sslmode=verify-ca",
            "jdbc:postgresql://localhost/portcullis",
            "jdbc:postgresql://127.0.0.1:5432/p",
            "jdbc:postgresql://[::1]:5432/p",
            "jdbc:postgresql:portcullis",
            "jdbc:postgresql://localhost,127.0.0.2:5433/p",
            "jdbc:postgresql://x/p?socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg"
                + "&socketFactoryArg=/var/run/postgresql/.s.PGSQL.5432")) {
      assertThat(
              ProductionSettings.problems(production().withProperty("spring.datasource.url", url)))
          .as(url)
          .isEmpty();
    }
    assertThat(
            ProductionSettings.problems(
                production()
                    .withProperty("spring.datasource.url", "jdbc:postgresql://db.example.com/p")
                    .withProperty(
                        "spring.datasource.hikari.data-source-properties.sslmode", "verify-full")))
        .isEmpty();
  }

  @Test
  void aLabMayRunInClearButNotWithoutAPublicUrl(CapturedOutput output) {
    MockEnvironment lab =
        production()
            .withProperty("portcullis.production.allow-plain-transport", "true")
            .withProperty("portcullis.public-url", "http://127.0.0.1:8383")
            .withProperty("spring.ldap.urls", "ldap://127.0.0.1:389")
            .withProperty("spring.datasource.url", "jdbc:postgresql://db.lab:5432/portcullis");
    assertThat(ProductionSettings.problems(lab)).isEmpty();
    assertThat(ProductionSettings.plainTransports(lab)).hasSize(3);
    ProductionSettings settings = new ProductionSettings();
    settings.setEnvironment(lab);
    settings.postProcessBeanFactory(new DefaultListableBeanFactory());
    assertThat(output.getOut())
        .contains(
            "portcullis.production.allow-plain-transport=true: THIS NODE IS RUN AS A LAB, NOT FOR PRODUCTION",
            "portcullis.public-url is http://127.0.0.1:8383",
            "spring.ldap.urls has ldap://127.0.0.1:389",
            "spring.datasource.url connects to db.lab without TLS");
    assertThat(ProductionSettings.problems(lab.withProperty("portcullis.public-url", "")))
        .singleElement()
        .asString()
        .startsWith(
            "portcullis.public-url is not set (PORTCULLIS_PUBLIC_URL, for example https://portcullis.example.com): links in e-mails");
  }

  /**
   * Each refusal as start-up meets it: the prod profile with settings that pass but one, given as
   * the environment would, and the report names that one.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("oneUnsafeSetting")
  void prodRefusesToStartOnEachUnsafeSetting(
      String name, Map<String, String> setting, String problem, CapturedOutput output) {
    Map<String, String> settings =
        new LinkedHashMap<>(
            Map.of(
                "SPRING_DATASOURCE_URL",
                "jdbc:postgresql://db.example.com:5432/portcullis?sslmode=verify-full",
                "SPRING_DATASOURCE_USERNAME",
                "portcullis",
                "SPRING_DATASOURCE_PASSWORD",
                "secret",
                "PORTCULLIS_PUBLIC_URL",
                "https://portcullis.example.com",
                "SPRING_LDAP_URLS",
                "ldaps://ldap.example.com:636",
                "SPRING_LDAP_USERNAME",
                "cn=portcullis",
                "SPRING_LDAP_PASSWORD",
                "secret",
                "PORTCULLIS_AUDIT_HMAC_KEY",
                "aGVyZSBhcmUgdGhpcnR5LXR3byBieXRlcyBvZiBub3RoaW5nIQ==",
                "PORTCULLIS_AUDIT_SIGNING_KEY",
                "bm90LXRoZS1kZW1vLXNpZ25pbmcta2V5",
                "PORTCULLIS_AUDIT_PUBLIC_KEY",
                "bm90LXRoZS1kZW1vLXB1YmxpYy1rZXk="));
    settings.putAll(setting);
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(PortcullisApplication.class)
            .profiles("prod")
            .properties(Map.of("spring.main.banner-mode", "off", "server.port", "0"));
    app.application()
        .addInitializers(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.copyOf(settings))));

    assertThatThrownBy(app::run)
        .isInstanceOfSatisfying(
            UnsafeProductionSettingsException.class,
            refused ->
                assertThat(refused.problems()).singleElement().asString().startsWith(problem));
    assertThat(output.getOut() + output.getErr())
        .contains("The prod profile refuses to start with these settings:", "  - " + problem);
  }

  static Stream<Arguments> oneUnsafeSetting() {
    String hmac = DEMO.getProperty("portcullis.audit.hmac-key");
    String signing = DEMO.getProperty("portcullis.audit.signing-key");
    String lab = "(a lab without TLS: portcullis.production.allow-plain-transport=true)";
    return Stream.of(
        Arguments.of(
            "the demo signing key as PEM",
            Map.of("PORTCULLIS_AUDIT_SIGNING_KEY", pem(signing)),
            "portcullis.audit.signing-key is the demo key, which is public"),
        Arguments.of(
            "the demo HMAC key with a line break",
            Map.of("PORTCULLIS_AUDIT_HMAC_KEY", hmac.substring(0, 16) + "\n" + hmac.substring(16)),
            "portcullis.audit.hmac-key is the demo key, which is public"),
        Arguments.of(
            "no public URL",
            Map.of("PORTCULLIS_PUBLIC_URL", ""),
            "portcullis.public-url is not set (PORTCULLIS_PUBLIC_URL, for example https://portcullis.example.com): links in e-mails"),
        Arguments.of(
            "a public URL that is not one",
            Map.of("PORTCULLIS_PUBLIC_URL", "portcullis.example.com"),
            "portcullis.public-url is not an absolute https:// URL"),
        Arguments.of(
            "an http public URL",
            Map.of("PORTCULLIS_PUBLIC_URL", "http://portcullis.example.com"),
            "portcullis.public-url is http://portcullis.example.com: people's passwords and session cookies would cross the network "
                + "in clear; give the https:// address that people use (TLS at the node or at a proxy in front of it) "
                + lab),
        Arguments.of(
            "ldap://",
            Map.of("SPRING_LDAP_URLS", "ldap://ldap.example.com:389"),
            "spring.ldap.urls has ldap://ldap.example.com:389: every login binds with the person's password, which would cross the "
                + "network in clear; use ldaps:// (LDAP over TLS, usually port 636; StartTLS on ldap:// is not supported) "
                + lab),
        Arguments.of(
            "a database without TLS",
            Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.com:5432/portcullis"),
            "spring.datasource.url connects to db.example.com without TLS: the database password and every row would cross the "
                + "network in clear; add sslmode=verify-full (or verify-ca, require) to the URL, or connect over localhost or a Unix "
                + "socket "
                + lab),
        Arguments.of(
            "a database that TLS may fall back from",
            Map.of(
                "SPRING_DATASOURCE_URL",
                "jdbc:postgresql://db.example.com:5432/portcullis?sslmode=prefer"),
            "spring.datasource.url connects to db.example.com without TLS"),
        Arguments.of(
            "a session cookie without Secure",
            Map.of("SERVER_SERVLET_SESSION_COOKIE_SECURE", "false"),
            "server.servlet.session.cookie.secure is false: the webapps' session would be sent over plain HTTP too"),
        Arguments.of(
            "Camunda's session cookie without Secure",
            Map.of("CAMUNDA_BPM_WEBAPP_SESSIONCOOKIE_ENABLESECURECOOKIE", "false"),
            "camunda.bpm.webapp.session-cookie.enable-secure-cookie is false"));
  }

  /** A key as a PEM file holds it: armour lines and the base64 in lines of 64. */
  static String pem(String base64) {
    StringBuilder pem = new StringBuilder("-----BEGIN PRIVATE KEY-----\n");
    for (int i = 0; i < base64.length(); i += 64) {
      pem.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
    }
    return pem.append("-----END PRIVATE KEY-----\n").toString();
  }

  static MockEnvironment production() {
    MockEnvironment env =
        new MockEnvironment()
            .withProperty(
                "spring.datasource.url",
                "jdbc:postgresql://db.example.com:5432/portcullis?sslmode=verify-full")
            .withProperty("spring.datasource.username", "portcullis")
            .withProperty("spring.datasource.password", "from-a-vault")
            .withProperty("portcullis.public-url", "https://portcullis.example.com")
            .withProperty("spring.ldap.urls", "ldaps://ldap.example.com:636")
            .withProperty("spring.ldap.username", "cn=portcullis,ou=services,dc=example,dc=com")
            .withProperty("spring.ldap.password", "from-a-vault")
            .withProperty(
                "portcullis.audit.hmac-key", "aGVyZSBhcmUgdGhpcnR5LXR3byBieXRlcyBvZiBub3RoaW5nIQ==")
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
