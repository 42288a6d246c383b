package io.portcullis.kernel;

/**
 * What a connector grants, in that connector's own terms (for {@code ldap-group}, a group's DN; for
 * a database connector, a role): opaque to everything but its connector, which alone checks it
 * ({@code Connector.validateTarget}) and says when two are the same ({@code Connector.sameTarget}).
 * Compared here only as text, for a stable order.
 */
public record Target(String value) implements Comparable<Target> {

  public Target {
    if (value == null) {
      throw new InvalidInputException("target", "is required");
    }
  }

  public static Target of(String value) {
    return new Target(value);
  }

  @Override
  public int compareTo(Target other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
