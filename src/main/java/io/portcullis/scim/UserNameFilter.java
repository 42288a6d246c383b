package io.portcullis.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one filter this door answers (RFC 7644 §3.4.2.2): {@code userName eq "x"}, what Okta and
 * Entra send to match a person. The attribute name and the operator are case-insensitive, as the
 * RFC says; the attribute may be written with its schema ({@code
 * urn:ietf:params:scim:schemas:core:2.0:User:userName}); the value is a JSON string, escapes
 * included. Any other filter is refused as {@code invalidFilter} rather than answered wrongly: an
 * identity provider that got an empty list for a filter it thinks was applied would create or
 * unlink the person.
 */
final class UserNameFilter {

  /**
   * The longest filter read: a user name is at most 64 characters, so its filter, escaped and with
   * the schema, is far shorter. A longer one is refused before the pattern sees it, whose matching
   * would otherwise grow with the input.
   */
  static final int MAX_LENGTH = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();
  // possessive: a run of plain characters is taken whole, never given back and tried again
  private static final Pattern FILTER =
      Pattern.compile(
          "\\s*+(?:"
              + Pattern.quote(Scim.USER_SCHEMA)
              + ":)?userName\\s++eq\\s++(\"(?:[^\"\\\\]++|\\\\.)*+\")\\s*+",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private UserNameFilter() {}

  /**
   * @return the user name the filter asks for
   * @throws ScimException 400 {@code invalidFilter} for any other filter, and for one longer than
   *     {@link #MAX_LENGTH}
   */
  static String userName(String filter) {
    if (filter != null && filter.length() > MAX_LENGTH) {
      throw ScimException.badRequest(
          ScimException.INVALID_FILTER,
          "A filter is at most "
              + MAX_LENGTH
              + " characters; the only filter "
              + "answered here is userName eq \"<name>\" (the name as a JSON string).");
    }
    Matcher matcher = filter == null ? null : FILTER.matcher(filter);
    if (matcher == null || !matcher.matches()) {
      throw refused();
    }
    try {
      return JSON.readValue(matcher.group(1), String.class);
    } catch (JsonProcessingException e) {
      throw refused();
    }
  }

  private static ScimException refused() {
    return ScimException.badRequest(
        ScimException.INVALID_FILTER,
        "The only filter answered here is userName eq \"<name>\" (the name as a JSON string).");
  }
}
