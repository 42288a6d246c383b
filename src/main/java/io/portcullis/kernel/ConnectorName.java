package io.portcullis.kernel;

import java.util.regex.Pattern;

/**
 * The name of a connector instance, by which the catalog and the processes know it ({@code
 * ldap-group}; a company's {@code postgresql-role} instances each have their own, under {@code
 * portcullis.connectors.<name>}).
 */
public record ConnectorName(String value) implements Comparable<ConnectorName> {

  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  public ConnectorName {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidInputException(
          "connector", "must be a connector's name: letters, digits and . _ -, at most 64");
    }
  }

  public static ConnectorName of(String value) {
    return new ConnectorName(value);
  }

  @Override
  public int compareTo(ConnectorName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
