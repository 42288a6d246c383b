package io.portcullis.request;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.ResourceId;
import io.portcullis.web.FreeText;
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
