package io.portcullis.drift;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.MemberListing;
import java.util.List;
import org.springframework.stereotype.Component;

/** What {@code processes/drift-sweep.bpmn} asks of Java: when it runs and what it sweeps. */
@Component("driftSweep")
public class DriftSweep {

  private final DriftProperties properties;
  private final Catalog catalog;
  private final Connectors connectors;

  DriftSweep(DriftProperties properties, Catalog catalog, Connectors connectors) {
    this.properties = properties;
    this.catalog = catalog;
    this.connectors = connectors;
  }

  /** The timer's cycle, from {@code portcullis.drift.interval}. */
  public String cycle() {
    return "R/" + properties.interval();
  }

  /** The ids of the resources whose connector can list who holds a target. */
  public List<String> resources() {
    return catalog.all().stream()
        .filter(r -> connectors.named(r.connector(), MemberListing.class).isPresent())
        .map(Resource::id)
        .map(id -> id.value())
        .toList();
  }
}
