package io.portcullis.kernel;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** An offboarding's id: what Portcullis makes (a UUID), in URLs and in the audit trail. */
public record OffboardingId(String value) {

  public static final String PATTERN = "[0-9a-f-]{36}";

  private static final Pattern VALID = Pattern.compile(PATTERN);

  public OffboardingId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidInputException(
          "id", "must be an offboarding's id: 36 lower-case hex digits and dashes");
    }
  }

  public static OffboardingId of(String value) {
    return new OffboardingId(value);
  }

  /** The id, when the text is one; empty for anything else (null included). */
  public static Optional<OffboardingId> valid(String value) {
    return value != null && VALID.matcher(value).matches()
        ? Optional.of(new OffboardingId(value))
        : Optional.empty();
  }

  public static OffboardingId random() {
    return new OffboardingId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
