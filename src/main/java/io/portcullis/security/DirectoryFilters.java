package io.portcullis.security;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.ldap.filter.AndFilter;
import org.springframework.ldap.filter.EqualsFilter;
import org.springframework.ldap.filter.Filter;
import org.springframework.ldap.filter.LikeFilter;
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

  /** Spring LDAP's substring filter with the engine's wildcard instead of LDAP's. */
  private static final class EngineLike extends LikeFilter {

    EngineLike(String attribute, String pattern) {
      super(attribute, pattern);
    }

    @Override
    protected String encodeValue(String pattern) {
      // each literal part escaped (a '*' in it too), the parts joined by LDAP's wildcard; runs of
      // '%' are one wildcard, since an empty substring is not a valid filter
      return Arrays.stream(pattern.split("%+", -1))
          .map(LdapEncoder::filterEncode)
          .collect(Collectors.joining("*"));
    }
  }
}
