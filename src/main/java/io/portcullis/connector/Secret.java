package io.portcullis.connector;

import java.util.Objects;

/**
 * A setting that must never be shown (a password, a client secret): its {@link #toString()} is a
 * mask, so a secret that reaches a log line, an audit entry or an error body by accident shows
 * nothing. Only the connector that presents it to its system calls {@link #reveal()}.
 */
public final class Secret {

  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The secret itself, for the one call that presents it to the target system. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "******";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
