package io.portcullis.operations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;

/**
 * The {@code prod} profile refuses to start on anything that only the demo may use: the demo profile or
 * its embedded directory, the demo audit keys (public in this repository, so a trail signed with them
 * proves nothing), the demo's SCIM token, a database that is not PostgreSQL or has no password, a
 * directory that is not named. It runs before any bean is made, so nothing touches a database or a
 * directory first, and it names every problem at once rather than the first.
 */
class ProductionSettings implements BeanFactoryPostProcessor, EnvironmentAware {

  static final String DEMO_SETTINGS = "application-demo.yml";
  static final String SCIM_TOKEN = "portcullis.scim.token-sha256";
  static final List<String> AUDIT_KEYS = List.of("portcullis.audit.hmac-key", "portcullis.audit.signing-key",
      "portcullis.audit.public-key");

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    List<String> problems = problems(environment);
    if (!problems.isEmpty()) {
      throw new UnsafeProductionSettingsException(problems);
    }
  }

  static List<String> problems(Environment env) {
    List<String> problems = new ArrayList<>();
    if (Arrays.asList(env.getActiveProfiles()).contains("demo")) {
      problems.add("the demo profile is active beside prod: it brings the demo directory, its public passwords and the "
          + "demo audit keys (run with --spring.profiles.active=prod alone)");
    } else if (hasText(env.getProperty("spring.ldap.embedded.base-dn"))) {
      problems.add("spring.ldap.embedded.base-dn is set: that is the embedded demo directory, not yours");
    }

    String url = env.getProperty("spring.datasource.url", "");
    if (url.isBlank()) {
      problems.add("spring.datasource.url is not set (SPRING_DATASOURCE_URL, for example "
          + "jdbc:postgresql://db.example.com:5432/portcullis)");
    } else if (!url.startsWith("jdbc:postgresql:")) {
      problems.add("spring.datasource.url is not a PostgreSQL URL (jdbc:postgresql://...): production runs on PostgreSQL");
    }
    if (!hasText(env.getProperty("spring.datasource.username"))) {
      problems.add("spring.datasource.username is not set (SPRING_DATASOURCE_USERNAME)");
    }
    if (!hasText(env.getProperty("spring.datasource.password"))) {
      problems.add("spring.datasource.password is not set (SPRING_DATASOURCE_PASSWORD): there is no default password");
    }

    if (!hasText(env.getProperty("spring.ldap.urls"))) {
      problems.add("spring.ldap.urls is not set (SPRING_LDAP_URLS, for example ldaps://ldap.example.com:636): name your directory");
    }
    if (!hasText(env.getProperty("spring.ldap.username")) || !hasText(env.getProperty("spring.ldap.password"))) {
      problems.add("spring.ldap.username and spring.ldap.password must both be set (SPRING_LDAP_USERNAME, SPRING_LDAP_PASSWORD): "
          + "the account Portcullis binds as to read people and change groups");
    }

    Properties demo = demoSettings();
    String scimToken = env.getProperty(SCIM_TOKEN, "");
    if (!scimToken.isBlank() && scimToken.strip().equalsIgnoreCase(demo.getProperty(SCIM_TOKEN, "").strip())) {
      problems.add(SCIM_TOKEN + " is the hash of the demo's public SCIM token: make a token of your own (openssl rand -base64 32) "
          + "and set its SHA-256 (printf %s \"$TOKEN\" | sha256sum), or leave it unset to keep the SCIM door closed");
    }
    for (String key : AUDIT_KEYS) {
      String value = env.getProperty(key, "");
      if (value.isBlank()) {
        problems.add(key + " is not set (" + environmentVariable(key) + "): java tools/GenerateAuditKeys.java makes a set");
      } else if (value.strip().equals(demo.getProperty(key))) {
        problems.add(key + " is the demo key, which is public: java tools/GenerateAuditKeys.java makes a set of your own");
      }
    }
    return problems;
  }

  /** The demo profile's settings as shipped, to recognise its public keys without copying them here. */
  private static Properties demoSettings() {
    YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
    yaml.setResources(new ClassPathResource(DEMO_SETTINGS));
    Properties properties = yaml.getObject();
    return properties == null ? new Properties() : properties;
  }

  static String environmentVariable(String property) {
    return property.toUpperCase().replace(".", "_").replace("-", "_");
  }

  private static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }
}
