package io.portcullis.kernel;

/**
 * Input that breaks a rule, from any feature and through any door, naming the field at fault: its
 * message is {@code field: reason}. An illegal argument, so a caller that refuses bad arguments
 * refuses this too.
 */
public class InvalidInputException extends IllegalArgumentException implements RuleAnswer {

  private final String field;
  private final String reason;

  public InvalidInputException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  public String field() {
    return field;
  }

  /** What is wrong with the field, without its name. */
  public String reason() {
    return reason;
  }
}
