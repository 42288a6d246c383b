package io.portcullis.catalog;

import io.portcullis.kernel.ResourceId;
import java.util.List;
import org.springframework.modulith.NamedInterface;

/**
 * Resources that are asked for together (issue 29): one request names the bundle, one chain decides
 * every resource of it, and they are granted and end together.
 *
 * @param id how a request names it ({@code "bundle": "incident-responder"})
 * @param resources the catalog's resources, in the order written, each once, at least one
 */
@NamedInterface("resources")
public record Bundle(String id, String name, List<Resource> resources) {

  public Bundle {
    resources = List.copyOf(resources);
  }

  public List<ResourceId> resourceIds() {
    return resources.stream().map(Resource::id).toList();
  }
}
