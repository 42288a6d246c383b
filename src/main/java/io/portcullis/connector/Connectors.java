package io.portcullis.connector;

import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.kernel.ConnectorName;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The connectors this node has, by name: the connectors that are beans ({@code ldap-group}) and the
 * instances configured by type ({@link ConnectorInstances}). Processes and the catalog know
 * connectors only by name. Where there is a meter registry, each call is counted and timed ({@link
 * MeteredConnector}), capabilities' calls included.
 */
@Component
public class Connectors {

  private final Map<ConnectorName, Connector> byName;
  private final ApplicationEventPublisher events;

  @Autowired
  public Connectors(
      List<Connector> beans,
      ConnectorInstances instances,
      ObjectProvider<MeterRegistry> meters,
      ApplicationEventPublisher events) {
    this(Stream.concat(beans.stream(), instances.all().values().stream()).toList(), meters, events);
  }

  public Connectors(
      List<Connector> connectors,
      ObjectProvider<MeterRegistry> meters,
      ApplicationEventPublisher events) {
    this.events = events;
    MeterRegistry registry = meters.getIfAvailable();
    Map<ConnectorName, Connector> named = new HashMap<>();
    for (Connector connector : connectors) {
      if (named.putIfAbsent(
              connector.name(),
              registry == null ? connector : new MeteredConnector(connector, registry))
          != null) {
        throw InvalidConnectorSettingsException.of(
            connector.name().value(),
            ConnectorSettings.TYPE,
            "the name of another connector of this node: give the instance a name of its own");
      }
    }
    this.byName = Map.copyOf(named);
  }

  public Connector named(ConnectorName name) {
    Connector connector = byName.get(name);
    if (connector == null) {
      throw new IllegalArgumentException("no connector named '" + name + "'; known: " + names());
    }
    return connector;
  }

  /**
   * The capability of the connector with this name, or empty when that connector does not have it.
   * An unknown name is a mistake, not an absence, and is refused as {@link #named(ConnectorName)}
   * refuses it.
   */
  public <C extends Capability> Optional<C> named(ConnectorName name, Class<C> capability) {
    return announced(name, named(name).capability(capability));
  }

  /** Every connector that has this capability, by name, in the order of their names. */
  public <C extends Capability> SortedMap<ConnectorName, C> withCapability(Class<C> capability) {
    SortedMap<ConnectorName, C> found = new TreeMap<>();
    byName.forEach(
        (name, connector) ->
            announced(name, connector.capability(capability)).ifPresent(c -> found.put(name, c)));
    return Collections.unmodifiableSortedMap(found);
  }

  /**
   * Account controls announce their disables ({@link AccountDisabled}); other capabilities as they
   * are.
   */
  @SuppressWarnings("unchecked")
  private <C extends Capability> Optional<C> announced(ConnectorName name, Optional<C> capability) {
    return capability.map(
        c ->
            c instanceof AccountControl control
                ? (C) new AnnouncedAccountControl(name, control, events)
                : c);
  }

  /**
   * Each connector's worst case for one step ({@link Connector#worstStep()}), by name; zeros left
   * out.
   */
  public SortedMap<ConnectorName, Duration> worstSteps() {
    SortedMap<ConnectorName, Duration> found = new TreeMap<>();
    byName.forEach(
        (name, connector) -> {
          Duration worst = connector.worstStep();
          if (!worst.isNegative() && !worst.isZero()) {
            found.put(name, worst);
          }
        });
    return Collections.unmodifiableSortedMap(found);
  }

  public Set<ConnectorName> names() {
    return byName.keySet();
  }
}
