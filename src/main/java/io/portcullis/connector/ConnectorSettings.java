package io.portcullis.connector;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.boot.convert.DurationStyle;

/**
 * One connector instance's settings, as bound from {@code portcullis.connectors.<instance>.*} (keys
 * in kebab-case, nested keys joined by dots: {@code pool.size}). Every accessor that refuses names
 * the instance and the key, never the value. A value still holding a {@code ${...}} placeholder (an
 * environment variable that is not set) counts as missing.
 *
 * <p>Two keys are the framework's: {@code type} (which {@link ConnectorType} builds the instance)
 * and {@code login}, the template that maps a Portcullis user to the target system's login ({@link
 * #login(Username)}). The registry refuses any other key that the type did not read, as a likely
 * typo.
 */
public final class ConnectorSettings {

  public static final String PREFIX = "portcullis.connectors";
  public static final String TYPE = "type";
  public static final String LOGIN = "login";
  static final String USERNAME_PLACEHOLDER = "{username}";

  private final ConnectorName instance;
  private final Map<String, String> values;
  private final Function<String, Optional<String>> byName;
  private final Set<String> read = ConcurrentHashMap.newKeySet();
  private final String loginTemplate;

  private ConnectorSettings(
      ConnectorName instance,
      Map<String, String> values,
      Function<String, Optional<String>> byName) {
    this.instance = instance;
    this.values = Map.copyOf(values);
    this.byName = byName;
    read.add(TYPE);
    this.loginTemplate = optional(LOGIN).orElse(USERNAME_PLACEHOLDER);
    if (!loginTemplate.contains(USERNAME_PLACEHOLDER)) {
      throw problem(
          LOGIN,
          "must contain " + USERNAME_PLACEHOLDER + ", or every person would map to the same login");
    }
  }

  /**
   * The settings of {@code instance}: what {@link ConnectorInstances} binds, or a plain test
   * builds.
   */
  public static ConnectorSettings of(ConnectorName instance, Map<String, String> values) {
    return new ConnectorSettings(instance, values, key -> Optional.empty());
  }

  /**
   * As {@link #of(ConnectorName, Map)}, with a key that the map lacks looked up by its name ({@code
   * byName}: the environment's binder, {@link ConnectorInstances}). An environment variable comes
   * into the map with its underscores as dots ({@code PORTCULLIS_CONNECTORS_SSO_SERVER_URL} as
   * {@code server.url}), because a map's keys are not known in advance; bound by its name, {@code
   * server-url} finds it by Spring Boot's relaxed rules, as a bean's property would.
   */
  static ConnectorSettings of(
      ConnectorName instance,
      Map<String, String> values,
      Function<String, Optional<String>> byName) {
    return new ConnectorSettings(instance, values, byName);
  }

  public ConnectorName instance() {
    return instance;
  }

  /** The value of {@code key}, which must be set and not blank. */
  public String required(String key) {
    return optional(key).orElseThrow(() -> problem(key, "is required"));
  }

  /** The value of {@code key}, or empty when it is not set (or blank). */
  public Optional<String> optional(String key) {
    String value = value(key);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    if (value.contains("${")) {
      throw problem(
          key, "holds a placeholder that nothing resolved (is its environment variable set?)");
    }
    return Optional.of(value.strip());
  }

  /**
   * A secret that must be set; it comes from the environment ({@code password:
   * ${APP_DB_PASSWORD}}).
   */
  public Secret secret(String key) {
    return optionalSecret(key)
        .orElseThrow(() -> problem(key, "is required (a secret: set it from the environment)"));
  }

  public Optional<Secret> optionalSecret(String key) {
    String value = value(key);
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    if (value.contains("${")) {
      throw problem(
          key, "holds a placeholder that nothing resolved (is its environment variable set?)");
    }
    return Optional.of(new Secret(value));
  }

  /**
   * The value set for {@code key}: under that key, or else found by its name in the environment,
   * whose variable the map holds under one of the two keys Spring Boot reads it as (the dash an
   * underscore, so a dot here, or dropped); either of those counts as read.
   */
  private String value(String key) {
    read.add(key);
    String value = values.get(key);
    if (value == null && key.contains("-")) {
      value = byName.apply(key).orElse(null);
      if (value != null) {
        read.add(key.replace('-', '.'));
        read.add(key.replace("-", ""));
      }
    }
    return value;
  }

  /**
   * A duration ({@code 5s}, {@code PT5S}), {@code defaultValue} when not set; it must be positive.
   */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      Duration duration = DurationStyle.detectAndParse(text.get());
      if (duration.isNegative() || duration.isZero()) {
        throw problem(key, "must be a positive duration");
      }
      return duration;
    } catch (IllegalArgumentException e) {
      throw problem(key, "must be a duration such as 5s or PT5S");
    }
  }

  /** A whole number within {@code [min, max]}, {@code defaultValue} when not set. */
  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value < min || value > max) {
        throw problem(key, "must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw problem(key, "must be a whole number between " + min + " and " + max);
    }
  }

  /**
   * The target system's login of a Portcullis user: the instance's {@code login} template with
   * {@code {username}} replaced by the user name ({@code "{username}@company.com"}); the user name
   * itself by default. The connector still checks the result against its system's rules.
   */
  public String login(Username username) {
    return loginTemplate.replace(USERNAME_PLACEHOLDER, username.value());
  }

  /** A refusal naming this instance and {@code key}. */
  public InvalidConnectorSettingsException problem(String key, String problem) {
    return InvalidConnectorSettingsException.of(instance.value(), key, problem);
  }

  /** The keys set for this instance that nothing read: most likely a typo. */
  Set<String> unread() {
    Set<String> unread = new TreeSet<>(values.keySet());
    unread.removeAll(read);
    return unread;
  }

  /** Never the values: some are secrets. */
  @Override
  public String toString() {
    return PREFIX + "." + instance + " " + new TreeSet<>(values.keySet());
  }
}
