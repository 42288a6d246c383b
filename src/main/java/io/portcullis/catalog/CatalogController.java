package io.portcullis.catalog;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/catalog")
@Tag(name = "Catalog", description = "What can be requested")
class CatalogController {

  private final Catalog catalog;

  CatalogController(Catalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping
  @Operation(summary = "The requestable resources")
  List<CatalogItem> list() {
    return catalog.all().stream().map(CatalogItem::of).toList();
  }

  @GetMapping("/bundles")
  @Operation(
      summary =
          "The bundles: resources asked for together in one request (\"bundle\": \"<id>\"), decided by one chain, "
              + "granted and ended together")
  List<BundleItem> bundles() {
    return catalog.bundles().stream().map(BundleItem::of).toList();
  }

  /**
   * A bundle as clients see it.
   *
   * @param maxDuration the longest one request for it may ask: the smallest of its resources'
   */
  record BundleItem(String id, String name, List<String> resources, String maxDuration) {
    static BundleItem of(Bundle b) {
      return new BundleItem(
          b.id(),
          b.name(),
          b.resources().stream().map(r -> r.id().value()).toList(),
          b.resources().stream()
              .map(Resource::maxDuration)
              .min(Duration::compareTo)
              .orElseThrow()
              .toString());
    }
  }

  /**
   * A resource as clients see it: the connector's target stays inside; who approves is the policy's
   * (GET a request's stages). {@code maxTotalDuration} bounds a grant with all its extensions.
   */
  record CatalogItem(
      String id,
      String name,
      String description,
      String connector,
      String maxDuration,
      String maxTotalDuration,
      String environment,
      String risk) {
    static CatalogItem of(Resource r) {
      return new CatalogItem(
          r.id().value(),
          r.name(),
          r.description(),
          r.connector().value(),
          r.maxDuration().toString(),
          r.maxTotalDuration().toString(),
          r.environment(),
          r.risk());
    }
  }
}
