package io.portcullis.kernel;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A person's or a system account's login name: the one pattern a name must match at every door, and
 * the one rule by which two names are the same person. A name that exists has passed the pattern;
 * it is made only here.
 *
 * <p>The value is the name as it was given: at a login, the directory's own spelling of the person
 * (docs/architecture.md, rule 12), which every record and comparison after that uses. The directory
 * matches login names without regard to case ({@code uid}, {@code sAMAccountName}), so where a name
 * may come in another spelling (a name typed at a door, a cache, a throttle, a stored key) it is
 * compared by {@link #key()}, the one case-fold of a user name.
 */
public record Username(String value) implements Comparable<Username> {

  /** A person's or system's name as it may be typed at a login or given in a filter. */
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";

  /** What a name that breaks {@link #PATTERN} is told. */
  public static final String RULE =
      "must be a directory user name: letters, digits and . _ @ -, at most 64";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  public Username {
    if (!matches(value)) {
      throw new InvalidInputException("username", RULE);
    }
  }

  /**
   * The name, checked against the pattern.
   *
   * @throws InvalidInputException naming {@code username}
   */
  public static Username of(String value) {
    return new Username(value);
  }

  /**
   * The name given in {@code field}, checked against the pattern.
   *
   * @throws InvalidInputException naming {@code field}
   */
  public static Username of(String field, String value) {
    if (!matches(value)) {
      throw new InvalidInputException(field, RULE);
    }
    return new Username(value);
  }

  /** The name, when it is one a login could have; empty for anything else (null included). */
  public static Optional<Username> valid(String value) {
    return matches(value) ? Optional.of(new Username(value)) : Optional.empty();
  }

  /**
   * The form in which two spellings of one person's name are equal: the one case-fold of a user
   * name.
   */
  public String key() {
    return value.toLowerCase(Locale.ROOT);
  }

  /** Whether the two are one person's name as the directory matches names, whatever their case. */
  public boolean sameAs(Username other) {
    return other != null && key().equals(other.key());
  }

  @Override
  public int compareTo(Username other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }

  private static boolean matches(String value) {
    return value != null && VALID.matcher(value).matches();
  }
}
