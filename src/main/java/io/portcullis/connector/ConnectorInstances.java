package io.portcullis.connector;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.InvalidInputException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyNameException;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The connector instances configured by type: every {@code portcullis.connectors.<name>} that has a
 * {@code type} is built by the {@link ConnectorType} of that type, under its own name, and {@link
 * Connectors} knows it beside the connectors that are beans ({@code ldap-group}, whose settings
 * have no {@code type}). A bad instance (an unknown type, a missing or unknown setting) stops
 * start-up with a message naming it ({@link InvalidConnectorSettingsFailureAnalyzer}); no instance
 * reaches its system here.
 */
@Component
public class ConnectorInstances implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ConnectorInstances.class);

  private final SortedMap<ConnectorName, Connector> byName = new TreeMap<>();

  @Autowired
  public ConnectorInstances(Environment environment, List<ConnectorType> types) {
    this(Binder.get(environment), types);
  }

  private ConnectorInstances(Binder binder, List<ConnectorType> types) {
    this(
        binder
            .bind(ConnectorSettings.PREFIX, Bindable.mapOf(String.class, String.class))
            .orElse(Map.of()),
        types,
        (instance, key) -> byName(binder, instance, key));
  }

  /**
   * Built from the flattened settings under {@code portcullis.connectors} ({@code app-db.type},
   * {@code app-db.url}, ...), as a plain test builds it.
   */
  public ConnectorInstances(Map<String, String> flattened, List<ConnectorType> types) {
    this(flattened, types, (instance, key) -> Optional.empty());
  }

  private ConnectorInstances(
      Map<String, String> flattened,
      List<ConnectorType> types,
      BiFunction<String, String, Optional<String>> settingByName) {
    Map<String, ConnectorType> typesByName =
        types.stream()
            .collect(
                Collectors.toMap(
                    ConnectorType::type,
                    Function.identity(),
                    (a, b) -> {
                      throw new IllegalStateException(
                          "two connector types named " + a.type() + ": " + a + ", " + b);
                    }));
    SortedMap<String, Map<String, String>> instances = new TreeMap<>();
    flattened.forEach(
        (key, value) -> {
          int dot = key.indexOf('.');
          if (dot > 0) {
            instances
                .computeIfAbsent(key.substring(0, dot), k -> new TreeMap<>())
                .put(key.substring(dot + 1), value);
          }
        });
    try {
      instances.forEach(
          (instance, settings) -> {
            if (settings.containsKey(ConnectorSettings.TYPE)) {
              Connector connector =
                  create(
                      instance, settings, typesByName, key -> settingByName.apply(instance, key));
              byName.put(connector.name(), connector);
            }
          });
    } catch (RuntimeException e) {
      destroy();
      throw e;
    }
  }

  /**
   * One setting bound by its full name, so that Spring Boot's relaxed rules find an environment
   * variable for a kebab-case key ({@code PORTCULLIS_CONNECTORS_SSO_SERVER_URL} for {@code
   * sso.server-url}), which the map of every setting has under {@code sso.server.url}. Placeholders
   * stay as they are, as in that map.
   */
  private static Optional<String> byName(Binder binder, String instance, String key) {
    try {
      ConfigurationPropertyName name =
          ConfigurationPropertyName.of(ConnectorSettings.PREFIX).append(instance).append(key);
      return binder
          .bind(name, Bindable.of(String.class))
          .map(Optional::of)
          .orElse(Optional.empty());
    } catch (InvalidConfigurationPropertyNameException e) {
      return Optional.empty(); // a name Spring's binder cannot spell has no relaxed forms either
    }
  }

  private static Connector create(
      String instance,
      Map<String, String> values,
      Map<String, ConnectorType> types,
      Function<String, Optional<String>> byName) {
    ConnectorName name;
    try {
      name = ConnectorName.of(instance);
    } catch (InvalidInputException e) {
      throw new InvalidConnectorSettingsException(
          ConnectorSettings.PREFIX
              + "."
              + instance
              + ": an instance's name must be letters, digits and . _ -, at most 64");
    }
    String type = values.get(ConnectorSettings.TYPE);
    ConnectorType connectorType = types.get(type);
    if (connectorType == null) {
      throw InvalidConnectorSettingsException.of(
          instance,
          ConnectorSettings.TYPE,
          "unknown connector type '" + type + "'; known: " + new TreeMap<>(types).keySet());
    }
    ConnectorSettings settings = ConnectorSettings.of(name, values, byName);
    Connector connector = connectorType.create(name, settings);
    Set<String> unread = settings.unread();
    if (!unread.isEmpty()) {
      close(connector);
      throw InvalidConnectorSettingsException.of(
          instance,
          String.join(", ", unread),
          "not a setting of a " + type + " instance (a typo?)");
    }
    if (!connector.name().equals(name)) {
      close(connector);
      throw new IllegalStateException(
          "the "
              + type
              + " type built a connector named "
              + connector.name()
              + " for instance "
              + name);
    }
    log.info("Connector instance {} of type {}", name, type);
    return connector;
  }

  /** The instances, by name. */
  public SortedMap<ConnectorName, Connector> all() {
    return Collections.unmodifiableSortedMap(byName);
  }

  /** Each instance lets go of what it holds (a connection pool). */
  @Override
  public void destroy() {
    byName.values().forEach(ConnectorInstances::close);
  }

  private static void close(Connector connector) {
    if (connector instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("Connector {} did not close cleanly: {}", connector.name(), e.toString());
      }
    }
  }
}
