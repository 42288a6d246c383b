package io.portcullis.approval;

import io.portcullis.kernel.ResourceId;
import io.portcullis.notification.Notice;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.modulith.NamedInterface;

/**
 * What a request asks for, as the people who decide it read it: every resource, in the order asked,
 * and the catalog's bundle when the request named one. An approval is for exactly what was asked
 * (docs/architecture.md, rule 7), so every view of a request that an approver reads (the Tasklist
 * task's name and form, {@code GET /api/approvals}, the notices) names it here, never by its first
 * resource alone.
 *
 * <p>Where a view has a length limit (a task's name, 255 characters in the engine's table; a
 * notice's subject), the list is cut to what fits, in whole names, and says how many more there
 * are: "prod-db-readonly, prod-logs-readonly and 8 more (bundle incident-responder)".
 *
 * @param resources at least one; the first is the request's own
 * @param bundle the catalog bundle's id; null when the request named its resources
 */
@NamedInterface("chains")
public record AskedFor(List<ResourceId> resources, String bundle) {

  public AskedFor {
    resources = List.copyOf(resources);
    if (resources.isEmpty()) {
      throw new IllegalArgumentException("a request asks for at least one resource");
    }
  }

  public static AskedFor one(ResourceId resource) {
    return new AskedFor(List.of(resource), null);
  }

  /** The request's own resource: the only one, or the first of several. */
  public ResourceId first() {
    return resources.get(0);
  }

  /** A bundle or a list of resources: one chain decides them all. */
  public boolean several() {
    return resources.size() > 1 || bundle != null;
  }

  /**
   * Every resource by id, and the bundle, in at most {@code limit} characters where a list has to
   * be cut: "a, b (bundle x)", or "a and 9 more (bundle x)". A request for one resource is its id.
   */
  public String named(int limit) {
    return named(ResourceId::value, ", ", limit);
  }

  /**
   * Every resource by the label given (the catalog's name, for the Tasklist form, whose names may
   * hold commas: so separated by "; "), and the bundle, uncut.
   */
  public String labelled(Function<ResourceId, String> label) {
    return named(label, "; ", Integer.MAX_VALUE);
  }

  /**
   * This request's resources as the facts of a notice: {@code resource} for one; {@code resources}
   * (named, cut to a fact's length) and {@code bundle} for several.
   */
  public Notice facts(Notice notice) {
    if (!several()) {
      return notice.fact("resource", first());
    }
    return notice.fact("resources", named(Notice.MAX_FACT)).fact("bundle", bundle);
  }

  private String named(Function<ResourceId, String> label, String separator, int limit) {
    List<String> names = resources.stream().map(label).map(Objects::requireNonNull).toList();
    if (!several()) {
      return names.get(0);
    }
    String ofBundle = bundle == null ? "" : " (bundle " + bundle + ")";
    for (int shown = names.size(); shown >= 1; shown--) {
      int more = names.size() - shown;
      String text =
          String.join(separator, names.subList(0, shown))
              + (more == 0 ? "" : " and " + more + " more")
              + ofBundle;
      if (text.length() <= limit) {
        return text;
      }
    }
    String counted = names.size() + " resources";
    return (counted + ofBundle).length() <= limit ? counted + ofBundle : counted;
  }
}
