package io.portcullis.scim;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A query's answer (RFC 7644 §3.4.2): always a ListResponse, with {@code Resources} even when
 * empty.
 */
record ListResponse(
    List<String> schemas,
    int totalResults,
    int itemsPerPage,
    int startIndex,
    @JsonProperty("Resources") List<ScimUser> resources) {

  static ListResponse of(int totalResults, int startIndex, List<ScimUser> page) {
    return new ListResponse(
        List.of(Scim.LIST_RESPONSE), totalResults, page.size(), startIndex, List.copyOf(page));
  }

  /**
   * The page of {@code all} from {@code startIndex} (1-based, as RFC 7644 §3.4.2.4 counts), at most
   * {@code count} long.
   */
  static <T> List<T> slice(List<T> all, int startIndex, int count) {
    int from = Math.min(startIndex - 1, all.size());
    return all.subList(from, Math.min(all.size(), from + count));
  }
}
