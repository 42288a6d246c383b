package io.portcullis.connector;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The connectors this node has, by name. Processes and the catalog know connectors only by name. Where
 * there is a meter registry, each call is counted and timed ({@link MeteredConnector}).
 */
@Component
public class Connectors {

  private final Map<String, Connector> byName;

  public Connectors(List<Connector> connectors, ObjectProvider<MeterRegistry> meters) {
    MeterRegistry registry = meters.getIfAvailable();
    this.byName = connectors.stream().collect(Collectors.toUnmodifiableMap(Connector::name,
        registry == null ? Function.identity() : connector -> new MeteredConnector(connector, registry)));
  }

  public Connector named(String name) {
    Connector connector = byName.get(name);
    if (connector == null) {
      throw new IllegalArgumentException("no connector named '" + name + "'; known: " + names());
    }
    return connector;
  }

  public Set<String> names() {
    return byName.keySet();
  }
}
