package io.portcullis.request;

import io.portcullis.web.FreeText;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The rules every new request obeys, wherever it comes from (REST, Tasklist, engine REST): the REST
 * API checks them to answer with a clear 400, and the process checks them again when it starts.
 */
@Component
public class AccessRequestRules {

  private static final Pattern RESOURCE_ID = Pattern.compile(Resource.ID_PATTERN);
  private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._#/:-]{0,63}");

  private final Catalog catalog;
  private final RequestSettings settings;

  public AccessRequestRules(Catalog catalog, RequestSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  /** Checks a new request and returns the resource that it asks for. */
  public Resource check(String resourceId, Duration duration, String justification, String ticket) {
    if (resourceId == null || resourceId.isBlank()) {
      throw new InvalidInputException("resource", "is required");
    }
    if (!RESOURCE_ID.matcher(resourceId).matches()) {
      throw new InvalidInputException("resource", "is not a resource id (lower-case letters, digits and dashes)");
    }
    Resource resource = catalog.find(resourceId)
        .orElseThrow(() -> new InvalidInputException("resource", "no resource '" + resourceId + "' in the catalog"));
    resource.checkDuration(duration);
    FreeText.required("justification", justification, settings.justificationMaxLength());
    if (ticket != null && !ticket.isEmpty() && !TICKET.matcher(ticket).matches()) {
      throw new InvalidInputException("ticket", "must be a ticket reference such as OPS-1234 (letters, digits, . _ # / : -; at most 64)");
    }
    return resource;
  }

  /** Parses a duration given as text, naming the field when it is not ISO-8601. */
  public static Duration parseDuration(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Duration d) {
      return d;
    }
    try {
      return Duration.parse(value.toString());
    } catch (RuntimeException e) {
      throw new InvalidInputException("duration", "is not an ISO-8601 duration such as PT2H");
    }
  }
}
