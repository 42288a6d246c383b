package io.portcullis.operations;

import io.portcullis.audit.AuditKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;

/**
 * The {@code prod} profile refuses to start on anything that only the demo may use: the demo
 * profile or its embedded directory, the demo audit keys (public in this repository, so a trail
 * signed with them proves nothing) in any encoding, the demo's SCIM token, a database that is not
 * PostgreSQL or has no password, a directory that is not named. And on anything that sends
 * passwords or sessions in clear over the network: no public URL or an {@code http://} one (links
 * in e-mails would point at {@code http://localhost:8080}), an {@code ldap://} directory (every
 * login binds with the person's password), a database URL without TLS to another machine, a session
 * cookie without {@code Secure}; a lab may accept these with {@code
 * portcullis.production.allow-plain-transport}, which is logged as a warning. It runs before any
 * bean is made, so nothing touches a database or a directory first, and it names every problem at
 * once rather than the first.
 */
class ProductionSettings implements BeanFactoryPostProcessor, EnvironmentAware {

  private static final Logger log = LoggerFactory.getLogger(ProductionSettings.class);

  static final String DEMO_SETTINGS = "application-demo.yml";
  static final String SCIM_TOKEN = "portcullis.scim.token-sha256";
  static final String RESOURCE_SERVERS = "portcullis.credentials.resource-servers";
  static final String SIGNING_KEYS = "portcullis.credentials.signing-keys";
  static final String DEMO_SIGNING_KEY = SIGNING_KEYS + ".current.private-key";
  static final String PUBLIC_URL = "portcullis.public-url";
  static final List<String> SECURE_COOKIES =
      List.of(
          "server.servlet.session.cookie.secure",
          "camunda.bpm.webapp.session-cookie.enable-secure-cookie",
          "camunda.bpm.webapp.csrf.enable-secure-cookie");
  private static final String LAB =
      " (a lab without TLS: " + ProductionProperties.ALLOW_PLAIN_TRANSPORT + "=true)";
  static final List<String> AUDIT_KEYS =
      List.of(
          "portcullis.audit.hmac-key",
          "portcullis.audit.signing-key",
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
    if (settings(environment).allowPlainTransport()) {
      List<String> plain = plainTransports(environment);
      log.warn(
          "{}=true: THIS NODE IS RUN AS A LAB, NOT FOR PRODUCTION. {}",
          ProductionProperties.ALLOW_PLAIN_TRANSPORT,
          plain.isEmpty()
              ? "Nothing is plain now, so the switch can go."
              : "Passwords and sessions cross the network in clear: " + String.join("; ", plain));
    }
  }

  static List<String> problems(Environment env) {
    List<String> problems = new ArrayList<>();
    if (Arrays.asList(env.getActiveProfiles()).contains("demo")) {
      problems.add(
          "the demo profile is active beside prod: it brings the demo directory, its public passwords and the "
              + "demo audit keys (run with --spring.profiles.active=prod alone)");
    } else if (hasText(env.getProperty("spring.ldap.embedded.base-dn"))) {
      problems.add(
          "spring.ldap.embedded.base-dn is set: that is the embedded demo directory, not yours");
    }

    String url = env.getProperty("spring.datasource.url", "");
    if (url.isBlank()) {
      problems.add(
          "spring.datasource.url is not set (SPRING_DATASOURCE_URL, for example "
              + "jdbc:postgresql://db.example.com:5432/portcullis)");
    } else if (!url.startsWith("jdbc:postgresql:")) {
      problems.add(
          "spring.datasource.url is not a PostgreSQL URL (jdbc:postgresql://...): production runs on PostgreSQL");
    }
    if (!hasText(env.getProperty("spring.datasource.username"))) {
      problems.add("spring.datasource.username is not set (SPRING_DATASOURCE_USERNAME)");
    }
    if (!hasText(env.getProperty("spring.datasource.password"))) {
      problems.add(
          "spring.datasource.password is not set (SPRING_DATASOURCE_PASSWORD): there is no default password");
    }

    checkPublicUrl(env, problems);

    if (!hasText(env.getProperty("spring.ldap.urls"))) {
      problems.add(
          "spring.ldap.urls is not set (SPRING_LDAP_URLS, for example ldaps://ldap.example.com:636): name your directory");
    }
    if (!hasText(env.getProperty("spring.ldap.username"))
        || !hasText(env.getProperty("spring.ldap.password"))) {
      problems.add(
          "spring.ldap.username and spring.ldap.password must both be set (SPRING_LDAP_USERNAME, SPRING_LDAP_PASSWORD): "
              + "the account Portcullis binds as to read people and change groups");
    }

    Properties demo = demoSettings();
    String scimToken = env.getProperty(SCIM_TOKEN, "");
    if (!scimToken.isBlank()
        && scimToken.strip().equalsIgnoreCase(demo.getProperty(SCIM_TOKEN, "").strip())) {
      problems.add(
          SCIM_TOKEN
              + " is the hash of the demo's public SCIM token: make a token of your own (openssl rand -base64 32) "
              + "and set its SHA-256 (printf %s \"$TOKEN\" | sha256sum), or leave it unset to keep the SCIM door closed");
    }
    Map<String, String> demoServers = new TreeMap<>();
    demo.stringPropertyNames().stream()
        .filter(k -> k.startsWith(RESOURCE_SERVERS + ".") && k.endsWith(".secret-sha256"))
        .forEach(k -> demoServers.put(demo.getProperty(k).strip().toLowerCase(Locale.ROOT), k));
    Binder.get(env)
        .bind(RESOURCE_SERVERS, Bindable.mapOf(String.class, String.class))
        .orElse(Map.of())
        .forEach(
            (key, value) -> {
              if (key.endsWith(".secret-sha256")
                  && value != null
                  && demoServers.containsKey(value.strip().toLowerCase(Locale.ROOT))) {
                problems.add(
                    RESOURCE_SERVERS
                        + "."
                        + key
                        + " is the hash of a demo resource server's public secret: make a secret of your "
                        + "own (openssl rand -base64 32) and set its SHA-256 (printf %s \"$SECRET\" | sha256sum)");
              }
            });
    // the demo's token-signing key is public: a token it signed proves nothing, as current or
    // previous
    for (String which : List.of("current", "previous")) {
      String key = SIGNING_KEYS + "." + which + ".private-key";
      if (sameKey(env.getProperty(key, ""), demo.getProperty(DEMO_SIGNING_KEY, ""))) {
        problems.add(
            key
                + " is the demo's token-signing key, which is public: make a key of your own "
                + "(README, \"JWTs\")");
      }
    }
    for (String key : AUDIT_KEYS) {
      String value = env.getProperty(key, "");
      if (value.isBlank()) {
        problems.add(
            key
                + " is not set ("
                + environmentVariable(key)
                + "): java tools/GenerateAuditKeys.java makes a set");
      } else if (sameKey(value, demo.getProperty(key, ""))) {
        problems.add(
            key
                + " is the demo key, which is public: java tools/GenerateAuditKeys.java makes a set of your own");
      }
    }

    if (!settings(env).allowPlainTransport()) {
      problems.addAll(plainTransports(env));
    }
    return problems;
  }

  /**
   * What sends passwords or sessions in clear: each a problem, unless a lab allows plain transport.
   * A missing or malformed public URL is not a transport a lab may choose, so it is a problem
   * either way.
   */
  static List<String> plainTransports(Environment env) {
    List<String> plain = new ArrayList<>();
    String publicUrl = env.getProperty(PUBLIC_URL, "").strip();
    if (publicUrl.startsWith("http://")) {
      plain.add(
          PUBLIC_URL
              + " is "
              + publicUrl
              + ": people's passwords and session cookies would cross the network in clear; "
              + "give the https:// address that people use (TLS at the node or at a proxy in front of it)"
              + LAB);
    }
    for (String url : env.getProperty("spring.ldap.urls", "").split("[,\\s]+")) {
      if (url.toLowerCase(Locale.ROOT).startsWith("ldap://")) {
        plain.add(
            "spring.ldap.urls has "
                + url
                + ": every login binds with the person's password, which would cross the network in "
                + "clear; use ldaps:// (LDAP over TLS, usually port 636; StartTLS on ldap:// is not supported)"
                + LAB);
      }
    }
    String database = env.getProperty("spring.datasource.url", "").strip();
    if (database.startsWith(PostgresUrl.PREFIX)) {
      PostgresUrl url = PostgresUrl.parse(database);
      if (!url.local() && !url.tls(dataSourceProperties(env))) {
        plain.add(
            "spring.datasource.url connects to "
                + String.join(", ", url.remoteHosts())
                + " without TLS: the database password "
                + "and every row would cross the network in clear; add sslmode=verify-full (or verify-ca, require) to the URL, "
                + "or connect over localhost or a Unix socket"
                + LAB);
      }
    }
    for (String cookie : SECURE_COOKIES) {
      if ("false".equalsIgnoreCase(env.getProperty(cookie, "").strip())) {
        plain.add(
            cookie
                + " is false: the webapps' session would be sent over plain HTTP too, where anyone on the path can take it"
                + LAB);
      }
    }
    return plain;
  }

  static void checkPublicUrl(Environment env, List<String> problems) {
    String publicUrl = env.getProperty(PUBLIC_URL, "").strip();
    if (publicUrl.isEmpty()) {
      problems.add(
          PUBLIC_URL
              + " is not set ("
              + environmentVariable(PUBLIC_URL)
              + ", for example https://portcullis.example.com): "
              + "links in e-mails and chat messages would point at http://localhost:8080");
      return;
    }
    URI uri;
    try {
      uri = new URI(publicUrl);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || uri.getScheme() == null
        || !uri.getScheme().matches("https?")) {
      problems.add(
          PUBLIC_URL + " is not an absolute https:// URL such as https://portcullis.example.com");
    }
  }

  static ProductionProperties settings(Environment env) {
    return Binder.get(env)
        .bind("portcullis.production", ProductionProperties.class)
        .orElse(new ProductionProperties(false));
  }

  private static Map<String, String> dataSourceProperties(Environment env) {
    return Binder.get(env)
        .bind(
            "spring.datasource.hikari.data-source-properties",
            Bindable.mapOf(String.class, String.class))
        .orElse(Map.of());
  }

  /**
   * Two key settings hold the same key when they decode to the same bytes, as {@link AuditKeys}
   * reads them.
   */
  static boolean sameKey(String value, String other) {
    Optional<byte[]> a = AuditKeys.bytesOf(value);
    Optional<byte[]> b = AuditKeys.bytesOf(other);
    return a.isPresent() && b.isPresent() && a.get().length > 0 && Arrays.equals(a.get(), b.get());
  }

  /**
   * The demo profile's settings as shipped, to recognise its public keys without copying them here.
   */
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
