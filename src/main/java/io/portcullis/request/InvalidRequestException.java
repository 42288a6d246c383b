package io.portcullis.request;

/** Input that breaks a rule of access requests; names the field at fault. */
public class InvalidRequestException extends RuntimeException {

  private final String field;

  public InvalidRequestException(String field, String message) {
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
