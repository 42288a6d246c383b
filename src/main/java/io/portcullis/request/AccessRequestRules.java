package io.portcullis.request;

import io.portcullis.catalog.Bundle;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.ResourceId;
import io.portcullis.web.FreeText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The rules every new request obeys, wherever it comes from (REST, Tasklist, engine REST): checked
 * once, when the process starts ({@link RequestLifecycle#opened}), which every door passes.
 */
@Component
public class AccessRequestRules {

  private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._#/:-]{0,63}");

  private final Catalog catalog;
  private final RequestSettings settings;

  public AccessRequestRules(Catalog catalog, RequestSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  /**
   * Checks a new request that names its resources one of three ways, exactly one given: {@code
   * resource} (one), {@code resources} (several, comma-separated, each once, at most {@code
   * portcullis.requests.max-resources}) or {@code bundle} (the catalog's). The duration must be
   * allowed by every resource, so the smallest max-duration bounds it. A refusal names the field.
   */
  public Asked check(
      String resourceId,
      String resourceIds,
      String bundleId,
      AccessDuration duration,
      String justification,
      String ticket) {
    List<String> names = resourceIds == null ? null : split(resourceIds);
    Bundle bundle = checkNames(resourceId, names, bundleId);
    if (names == null && bundle == null) {
      return new Asked(
          List.of(check(resourceId, duration, justification, ticket)), null, "resource");
    }
    String field = bundle != null ? "bundle" : "resources";
    List<Resource> resources = new ArrayList<>();
    if (bundle != null) {
      resources.addAll(bundle.resources());
    } else {
      for (String name : names) {
        resources.add(
            catalog
                .find(ResourceId.of(name))
                .orElseThrow(
                    () ->
                        new InvalidInputException(
                            "resources", "no resource '" + name + "' in the catalog")));
      }
    }
    checkCount(field, resources.size());
    for (Resource resource : resources) {
      resource.checkDuration(duration);
    }
    check(resources.get(0).id().value(), duration, justification, ticket);
    return new Asked(resources, bundle == null ? null : bundle.id(), field);
  }

  /**
   * How a request names what it asks for, before any resource is looked up (the API asks this
   * first, to answer clearly; the process's start asks it again for every door): exactly one of
   * {@code resource}, {@code resources} and {@code bundle}; a list of at least one and at most
   * {@code portcullis.requests.max-resources} resource ids, each once; a bundle of the catalog.
   *
   * @param resources null when not given
   * @return the bundle named; null when none was
   */
  public Bundle checkNames(String resource, List<String> resources, String bundle) {
    int given = (resource != null ? 1 : 0) + (resources != null ? 1 : 0) + (bundle != null ? 1 : 0);
    if (given > 1) {
      throw new InvalidInputException(
          resource != null ? "resource" : "resources",
          "give exactly one of resource, resources and bundle");
    }
    if (resources != null) {
      // counted before anything is looked up: a list of thousands is refused for its length
      checkCount("resources", resources.size());
      Set<String> seen = new HashSet<>();
      for (String name : resources) {
        try {
          ResourceId.of(name);
        } catch (InvalidInputException e) {
          throw new InvalidInputException("resources", "'" + name + "' " + e.reason());
        }
        if (!seen.add(name)) {
          throw new InvalidInputException("resources", "names '" + name + "' twice");
        }
      }
    }
    if (bundle == null) {
      return null;
    }
    return catalog
        .bundle(bundle)
        .orElseThrow(
            () -> new InvalidInputException("bundle", "no bundle '" + bundle + "' in the catalog"));
  }

  /** The resource ids of the process's comma-separated start variable, blanks left out. */
  static List<String> split(String resourceIds) {
    return Arrays.stream(resourceIds.split(",", -1))
        .map(String::trim)
        .filter(n -> !n.isEmpty())
        .toList();
  }

  private void checkCount(String field, int count) {
    if (count == 0) {
      throw new InvalidInputException(field, "names no resource");
    }
    if (count > settings.maxResources()) {
      throw new InvalidInputException(
          field,
          "names "
              + count
              + " resources; one request may ask for at most "
              + settings.maxResources()
              + " (portcullis.requests.max-resources)");
    }
  }

  /**
   * What a request asks for.
   *
   * @param resources one or more, in the order asked; the first is the request's own {@code
   *     resource}
   * @param bundle the bundle it named; null otherwise
   * @param field the field that named them, for a refusal about them
   */
  public record Asked(List<Resource> resources, String bundle, String field) {

    public boolean several() {
      return resources.size() > 1;
    }
  }

  /**
   * Checks a new request and returns the resource that it asks for.
   *
   * @param resourceId as given, so that a missing or malformed one is told first
   * @param duration null when none was given
   */
  public Resource check(
      String resourceId, AccessDuration duration, String justification, String ticket) {
    ResourceId id = ResourceId.of(resourceId);
    Resource resource =
        catalog
            .find(id)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "resource", "no resource '" + resourceId + "' in the catalog"));
    resource.checkDuration(duration);
    FreeText.required("justification", justification, settings.justificationMaxLength());
    if (ticket != null && !ticket.isEmpty() && !TICKET.matcher(ticket).matches()) {
      throw new InvalidInputException(
          "ticket",
          "must be a ticket reference such as OPS-1234 (letters, digits, . _ # / : -; at most 64)");
    }
    return resource;
  }
}
