package io.portcullis.catalog;

import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The requestable resources. Built once at start-up from configuration; a bad entry stops start-up
 * with a message naming it, so that a mistake is found by whoever deploys it, not by a requester.
 */
@NamedInterface("resources")
@Component
public class Catalog {

  private final Map<ResourceId, Resource> byId = new LinkedHashMap<>();
  private final Map<String, Bundle> bundles = new LinkedHashMap<>();

  public Catalog(CatalogProperties properties, Connectors connectors, DurationLimits limits) {
    List<CatalogProperties.Entry> entries = properties.catalog();
    for (int i = 0; i < entries.size(); i++) {
      CatalogProperties.Entry entry = entries.get(i);
      String where = "portcullis.catalog[" + i + "] (" + entry.id() + "): ";
      ResourceId id = ResourceId.of(entry.id());
      if (byId.containsKey(id)) {
        throw new InvalidCatalogException(where + "the id is used by an earlier entry");
      }
      Optional<ConnectorName> connector =
          connectors.names().stream()
              .filter(name -> name.value().equals(entry.connector()))
              .findFirst();
      if (connector.isEmpty()) {
        throw new InvalidCatalogException(
            where + "no connector named '" + entry.connector() + "'; known: " + connectors.names());
      }
      try {
        connectors.named(connector.get()).validateTarget(Target.of(entry.target()));
      } catch (IllegalArgumentException e) {
        throw new InvalidCatalogException(where + "target: " + e.getMessage(), e);
      }
      if (entry.maxDuration().compareTo(limits.minDuration()) < 0) {
        throw new InvalidCatalogException(
            where
                + "max-duration "
                + entry.maxDuration()
                + " is shorter than the minimum duration of any request, "
                + limits.minDuration());
      }
      Duration maxTotal =
          entry.maxTotalDuration() == null
              ? entry.maxDuration().multipliedBy(2)
              : entry.maxTotalDuration();
      if (maxTotal.compareTo(entry.maxDuration()) < 0) {
        throw new InvalidCatalogException(
            where
                + "max-total-duration "
                + maxTotal
                + " is shorter than its max-duration "
                + entry.maxDuration());
      }
      Standing standing;
      try {
        standing = Standing.parse(entry.standing());
      } catch (IllegalArgumentException e) {
        throw new InvalidCatalogException(where + "standing: " + e.getMessage(), e);
      }
      ReviewPolicy review;
      try {
        review =
            ReviewPolicy.of(
                entry.reviewEvery(),
                entry.owner(),
                entry.reviewWithin(),
                entry.onUnreviewed(),
                standing);
      } catch (IllegalArgumentException e) {
        throw new InvalidCatalogException(where + e.getMessage(), e);
      }
      byId.put(
          id,
          new Resource(
              id,
              entry.name(),
              entry.description() == null ? "" : entry.description(),
              connector.get(),
              Target.of(entry.target()),
              limits.minDuration(),
              entry.maxDuration(),
              entry.environment(),
              entry.risk(),
              maxTotal,
              standing,
              entry.onDrift(),
              review));
    }
    List<CatalogProperties.BundleEntry> bundleEntries = properties.bundles();
    for (int i = 0; i < bundleEntries.size(); i++) {
      CatalogProperties.BundleEntry entry = bundleEntries.get(i);
      String where = "portcullis.bundles[" + i + "] (" + entry.id() + "): ";
      if (bundles.containsKey(entry.id())) {
        throw new InvalidCatalogException(where + "the id is used by an earlier bundle");
      }
      if (entry.resources().isEmpty()) {
        throw new InvalidCatalogException(where + "names no resource");
      }
      Set<ResourceId> seen = new LinkedHashSet<>();
      for (String named : entry.resources()) {
        ResourceId id;
        try {
          id = ResourceId.of(named);
        } catch (RuntimeException e) {
          throw new InvalidCatalogException(where + "'" + named + "' is not a resource id", e);
        }
        if (!byId.containsKey(id)) {
          throw new InvalidCatalogException(
              where + "no resource '" + named + "' in portcullis.catalog");
        }
        if (!seen.add(id)) {
          throw new InvalidCatalogException(where + "names '" + named + "' twice");
        }
      }
      bundles.put(
          entry.id(),
          new Bundle(
              entry.id(),
              entry.name() == null ? entry.id() : entry.name(),
              seen.stream().map(byId::get).toList()));
    }
  }

  /** The bundles, in the order written. */
  public List<Bundle> bundles() {
    return List.copyOf(bundles.values());
  }

  /** The bundle of this id; empty for null or an unknown id. */
  public Optional<Bundle> bundle(String id) {
    return Optional.ofNullable(id == null ? null : bundles.get(id));
  }

  public List<Resource> all() {
    return List.copyOf(byId.values());
  }

  public Optional<Resource> find(ResourceId id) {
    return Optional.ofNullable(id == null ? null : byId.get(id));
  }
}
