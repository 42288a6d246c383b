package io.portcullis.web;

/** Input that breaks a rule, from any feature and through any door: answered 400, naming the field at fault. */
public class InvalidInputException extends RuntimeException {

  private final String field;

  public InvalidInputException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return getMessage().substring(field.length() + 2);
  }
}
