package io.portcullis.kernel;

import java.util.regex.Pattern;

/** A catalog resource's stable id, used in requests, URLs and the approval policy. */
public record ResourceId(String value) implements Comparable<ResourceId> {

  public static final String PATTERN = "[a-z0-9][a-z0-9-]{0,63}";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  public ResourceId {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException("resource", "is required");
    }
    if (!VALID.matcher(value).matches()) {
      throw new InvalidInputException(
          "resource", "is not a resource id (lower-case letters, digits and dashes)");
    }
  }

  /**
   * @throws InvalidInputException naming {@code resource}, when it is missing or not a resource id
   */
  public static ResourceId of(String value) {
    return new ResourceId(value);
  }

  @Override
  public int compareTo(ResourceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
