package io.portcullis.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.CatalogProperties;
import io.portcullis.catalog.DurationLimits;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Named connector instances: every {@code portcullis.connectors.<name>} with a {@code type} becomes
 * a connector under that name, beside the bean connectors; a bad instance stops start-up naming it,
 * and never shows a secret. The type here is a small one of the test's own (the registry is under
 * test, not a target system); the real types have their own tests.
 */
class ConnectorInstancesTest {

  private static final String SECRET = "s3cret-never-shown";

  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
          .withUserConfiguration(InstancesOnly.class)
          .withPropertyValues(
              "APP_DB_PASSWORD=" + SECRET,
              // ldap-group as configured today: settings of a bean connector, no type
              "portcullis.connectors.ldap-group.page-size=200",
              "portcullis.connectors.ldap-group.account-control.method=ppolicy",
              "portcullis.connectors.app-db.type=recording",
              "portcullis.connectors.app-db.url=db://one",
              "portcullis.connectors.app-db.password=${APP_DB_PASSWORD}",
              "portcullis.connectors.app-db.pool.size=3",
              "portcullis.connectors.other-db.type=recording",
              "portcullis.connectors.other-db.url=db://two",
              "portcullis.connectors.other-db.password=x",
              "portcullis.connectors.other-db.login={username}@company.com");

  @Test
  void eachTypedInstanceIsAConnectorUnderItsNameBesideTheBeans() {
    context.run(
        app -> {
          assertThat(app).hasNotFailed();
          Connectors connectors = app.getBean(Connectors.class);
          assertThat(connectors.names())
              .extracting(ConnectorName::value)
              .containsExactlyInAnyOrder("bean-kind", "app-db", "other-db");
          Recording appDb = app.getBean(RecordingType.class).created.get(0);
          assertThat(appDb.name()).isEqualTo(ConnectorName.of("app-db"));
          assertThat(appDb.url).isEqualTo("db://one");
          assertThat(appDb.password.reveal())
              .as("the placeholder resolved from the environment")
              .isEqualTo(SECRET);
          assertThat(appDb.poolSize).isEqualTo(3);
          assertThat(appDb.settings.login(Username.of("alice"))).isEqualTo("alice");
          Recording otherDb = app.getBean(RecordingType.class).created.get(1);
          assertThat(otherDb.settings.login(Username.of("alice"))).isEqualTo("alice@company.com");
          assertThat(otherDb.poolSize).as("the default").isEqualTo(2);
          // a secret shows nowhere it could be printed
          assertThat(appDb.password.toString()).doesNotContain(SECRET);
          assertThat(appDb.settings.toString()).doesNotContain(SECRET).contains("password");
          connectors
              .named(ConnectorName.of("app-db"))
              .grant(Username.of("alice"), Target.of("reader"));
          assertThat(appDb.granted).containsExactly("alice:reader");
        });
  }

  /**
   * An instance configured only through environment variables: the variable's underscores come in
   * as dots ({@code PORTCULLIS_CONNECTORS_ENVDB_CONNECT_TIMEOUT} as {@code envdb.connect.timeout}),
   * yet the setting is found under its kebab-case name, as Spring's relaxed binding finds a bean's
   * property, and is not refused as a typo. The variable without the dash's underscore ({@code
   * CONNECTTIMEOUT}) works too.
   */
  @Test
  void anInstanceFromEnvironmentVariablesOnlyHasItsKebabCaseSettings() {
    context
        .withInitializer(
            app ->
                app.getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(
                                "PORTCULLIS_CONNECTORS_ENVDB_TYPE",
                                "recording",
                                "PORTCULLIS_CONNECTORS_ENVDB_URL",
                                "db://env",
                                "PORTCULLIS_CONNECTORS_ENVDB_PASSWORD",
                                SECRET,
                                "PORTCULLIS_CONNECTORS_ENVDB_POOL_SIZE",
                                "4",
                                "PORTCULLIS_CONNECTORS_ENVDB_CONNECT_TIMEOUT",
                                "7s",
                                "PORTCULLIS_CONNECTORS_NODASH_TYPE",
                                "recording",
                                "PORTCULLIS_CONNECTORS_NODASH_URL",
                                "db://nodash",
                                "PORTCULLIS_CONNECTORS_NODASH_PASSWORD",
                                "x",
                                "PORTCULLIS_CONNECTORS_NODASH_CONNECTTIMEOUT",
                                "8s"))))
        .run(
            app -> {
              assertThat(app).hasNotFailed();
              Map<String, Recording> created = new TreeMap<>();
              app.getBean(RecordingType.class)
                  .created
                  .forEach(c -> created.put(c.name().value(), c));
              Recording envDb = created.get("envdb");
              assertThat(envDb.url).isEqualTo("db://env");
              assertThat(envDb.password.reveal()).isEqualTo(SECRET);
              assertThat(envDb.poolSize).isEqualTo(4);
              assertThat(envDb.connectTimeout).isEqualTo(Duration.ofSeconds(7));
              assertThat(created.get("nodash").connectTimeout).isEqualTo(Duration.ofSeconds(8));
              assertThat(created.get("app-db").connectTimeout)
                  .as("the default, where nothing sets it")
                  .isEqualTo(Duration.ofSeconds(5));
            });
  }

  @Test
  void theCatalogOffersAnInstanceAndValidatesItsTargetsThroughIt() {
    context
        .withUserConfiguration(WithCatalog.class)
        .withPropertyValues(entry(0, "app-db-readonly", "app-db", "reader"))
        .run(
            app -> {
              assertThat(app).hasNotFailed();
              assertThat(
                      app.getBean(Catalog.class)
                          .find(ResourceId.of("app-db-readonly"))
                          .orElseThrow()
                          .connector())
                  .isEqualTo(ConnectorName.of("app-db"));
            });
    context
        .withUserConfiguration(WithCatalog.class)
        .withPropertyValues(entry(0, "app-db-readonly", "app-db", "bad;target"))
        .run(
            app -> {
              assertThat(app).hasFailed();
              assertThat(messages(app.getStartupFailure()))
                  .contains("portcullis.catalog[0] (app-db-readonly): target: no ; here");
            });
  }

  @Test
  void eachKindOfBadInstanceStopsStartUpNamingTheInstanceAndSettingButNoSecret() {
    assertFails(
        "portcullis.connectors.app-db.type=mysql-role",
        "portcullis.connectors.app-db.type: unknown connector type 'mysql-role'; known: [recording]");
    assertFails(
        "portcullis.connectors.app-db.url=", "portcullis.connectors.app-db.url: is required");
    assertFails(
        "portcullis.connectors.app-db.password=${NOT_SET_ANYWHERE}",
        "portcullis.connectors.app-db.password: holds a placeholder that nothing resolved");
    assertFails(
        "portcullis.connectors.app-db.pasword=" + SECRET,
        "portcullis.connectors.app-db.pasword: not a setting of a recording instance");
    assertFails(
        "portcullis.connectors.app-db.pool.size=0",
        "portcullis.connectors.app-db.pool.size: must be between 1 and 10");
    assertFails(
        "portcullis.connectors.app-db.login=everyone",
        "portcullis.connectors.app-db.login: must contain {username}");
    assertFails(
        new String[] {
          "portcullis.connectors.bean-kind.type=recording",
          "portcullis.connectors.bean-kind.url=db://3",
          "portcullis.connectors.bean-kind.password=x"
        },
        "portcullis.connectors.bean-kind.type: the name of another connector");
  }

  private void assertFails(String property, String message) {
    assertFails(new String[] {property}, message);
  }

  private void assertFails(String[] properties, String message) {
    context
        .withPropertyValues(properties)
        .run(
            app -> {
              assertThat(app).hasFailed();
              Throwable failure = app.getStartupFailure();
              assertThat(messages(failure)).contains(message).doesNotContain(SECRET);
              InvalidConnectorSettingsException cause = find(failure);
              FailureAnalysis analysis =
                  new InvalidConnectorSettingsFailureAnalyzer().analyze(failure);
              assertThat(analysis.getDescription()).contains(message).doesNotContain(SECRET);
              assertThat(cause).isNotNull();
            });
  }

  private static InvalidConnectorSettingsException find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidConnectorSettingsException found) {
        return found;
      }
    }
    return null;
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static String[] entry(int index, String id, String connector, String target) {
    String p = "portcullis.catalog[" + index + "].";
    return new String[] {
      p + "id=" + id,
      p + "name=" + id,
      p + "connector=" + connector,
      p + "target=" + target,
      p + "max-duration=PT4H",
      p + "environment=production",
      p + "risk=high"
    };
  }

  @Configuration(proxyBeanMethods = false)
  @Import({Connectors.class, ConnectorInstances.class})
  static class InstancesOnly {
    @Bean
    RecordingType recordingType() {
      return new RecordingType();
    }

    @Bean
    Connector beanKind() {
      return new Recording(ConnectorName.of("bean-kind"), null, null, null, 1);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({CatalogProperties.class, DurationLimits.class})
  @Import(Catalog.class)
  static class WithCatalog {}

  /** A type that keeps what it was given, and connectors that keep what they were asked. */
  static class RecordingType implements ConnectorType {
    final List<Recording> created = new ArrayList<>();

    @Override
    public String type() {
      return "recording";
    }

    @Override
    public Connector create(ConnectorName instance, ConnectorSettings settings) {
      Recording connector =
          new Recording(
              instance,
              settings,
              settings.required("url"),
              settings.secret("password"),
              settings.integer("pool.size", 2, 1, 10));
      connector.connectTimeout = settings.duration("connect-timeout", Duration.ofSeconds(5));
      created.add(connector);
      return connector;
    }
  }

  static class Recording implements Connector {
    final ConnectorName name;
    final ConnectorSettings settings;
    final String url;
    final Secret password;
    final int poolSize;
    Duration connectTimeout;
    final List<String> granted = new ArrayList<>();

    Recording(
        ConnectorName name, ConnectorSettings settings, String url, Secret password, int poolSize) {
      this.name = name;
      this.settings = settings;
      this.url = url;
      this.password = password;
      this.poolSize = poolSize;
    }

    @Override
    public ConnectorName name() {
      return name;
    }

    @Override
    public void validateTarget(Target target) {
      if (target.value().contains(";")) {
        throw new IllegalArgumentException("no ; here");
      }
    }

    @Override
    public void grant(Username username, Target target) {
      granted.add(settings.login(username) + ":" + target);
    }

    @Override
    public void revoke(Username username, Target target) {
      granted.remove(settings.login(username) + ":" + target);
    }

    @Override
    public boolean holds(Username username, Target target) {
      return granted.contains(settings.login(username) + ":" + target);
    }
  }
}
