package io.portcullis.scim;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A query's answer (RFC 7644 §3.4.2): always a ListResponse, with {@code Resources} even when empty. */
record ListResponse(List<String> schemas, int totalResults, int itemsPerPage, int startIndex,
    @JsonProperty("Resources") List<ScimUser> resources) {

  /** The page of {@code matches} from {@code startIndex} (1-based), at most {@code count} of them. */
  static ListResponse page(List<ScimUser> matches, int startIndex, int count) {
    int from = Math.min(startIndex - 1, matches.size());
    List<ScimUser> page = matches.subList(from, Math.min(matches.size(), from + count));
    return new ListResponse(List.of(Scim.LIST_RESPONSE), matches.size(), page.size(), startIndex, List.copyOf(page));
  }
}
