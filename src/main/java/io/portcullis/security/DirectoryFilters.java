package io.portcullis.security;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.ldap.filter.AbstractFilter;
import org.springframework.ldap.filter.AndFilter;
import org.springframework.ldap.filter.EqualsFilter;
import org.springframework.ldap.filter.Filter;
import org.springframework.ldap.filter.OrFilter;
import org.springframework.ldap.support.LdapEncoder;

/**
 * The one way a value from an engine query (a user id, a name, an e-mail address, typed into {@code
 * /engine-rest}, Cockpit or Admin) enters an LDAP filter: escaped by Spring LDAP ({@link
 * LdapEncoder#filterEncode}), so that {@code *}, parentheses or a backslash in it match themselves
 * and no crafted value can widen a search or add a condition of its own. In a {@code ...Like}
 * criterion the engine's wildcard {@code %} is the only wildcard, as in the engine's own database
 * queries.
 */
final class DirectoryFilters {

  private DirectoryFilters() {}

  /** All of the conditions. */
  static AndFilter allOf(Filter... conditions) {
    AndFilter all = new AndFilter();
    for (Filter condition : conditions) {
      all.and(condition);
    }
    return all;
  }

  /** The attribute equals the value, compared by the directory's matching rule. */
  static Filter is(String attribute, String value) {
    return new EqualsFilter(attribute, value);
  }

  /** The attribute equals one of the values (at least one value). */
  static Filter isOneOf(String attribute, String... values) {
    OrFilter any = new OrFilter();
    Arrays.stream(values).distinct().forEach(value -> any.or(is(attribute, value)));
    return any;
  }

  /** The attribute matches the engine's pattern, in which {@code %} stands for any characters. */
  static Filter like(String attribute, String pattern) {
    return new EngineLike(attribute, pattern);
  }

  /**
   * A substring filter with the engine's wildcard instead of LDAP's (Spring LDAP's {@code
   * LikeFilter} takes {@code *} as the wildcard and cannot escape it).
   */
  private static final class EngineLike extends AbstractFilter {

    private final String attribute;
    private final String encoded;

    EngineLike(String attribute, String pattern) {
      this.attribute = attribute;
      // each literal part escaped (a '*' in it too), the parts joined by LDAP's wildcard; runs of
      // '%' are one wildcard, since an empty substring is not a valid filter
      this.encoded =
          Arrays.stream(pattern.split("%+", -1))
              .map(LdapEncoder::filterEncode)
              .collect(Collectors.joining("*"));
    }

    @Override
    public StringBuffer encode(StringBuffer buffer) {
      return buffer.append('(').append(attribute).append('=').append(encoded).append(')');
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof EngineLike like
          && like.attribute.equals(attribute)
          && like.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
      return Objects.hash(attribute, encoded);
    }
  }
}
