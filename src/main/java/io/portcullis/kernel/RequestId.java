package io.portcullis.kernel;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An access request's id: in URLs, in the audit trail, and as its process instance's business key,
 * which whoever starts the process may choose within {@link #PATTERN}.
 */
public record RequestId(String value) implements Comparable<RequestId> {

  public static final String PATTERN = "[A-Za-z0-9-]{1,64}";
  public static final String RULE = "must be letters, digits and dashes, at most 64";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  public RequestId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidInputException("id", RULE);
    }
  }

  public static RequestId of(String value) {
    return new RequestId(value);
  }

  /**
   * The id given in {@code field}.
   *
   * @throws InvalidInputException naming {@code field}
   */
  public static RequestId of(String field, String value) {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidInputException(field, RULE);
    }
    return new RequestId(value);
  }

  /** A new id, for a request whose starter chose none. */
  public static RequestId random() {
    return new RequestId(UUID.randomUUID().toString());
  }

  @Override
  public int compareTo(RequestId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
