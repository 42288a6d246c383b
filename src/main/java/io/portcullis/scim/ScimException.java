package io.portcullis.scim;

import org.springframework.http.HttpStatus;

/** A request the SCIM door refuses, answered as a SCIM error ({@link ScimErrorAdvice}). */
class ScimException extends RuntimeException {

  /** RFC 7644 §3.12's {@code scimType} values that this door uses. */
  static final String INVALID_FILTER = "invalidFilter";

  static final String TOO_MANY = "tooMany";
  static final String INVALID_SYNTAX = "invalidSyntax";
  static final String INVALID_VALUE = "invalidValue";
  static final String INVALID_PATH = "invalidPath";
  static final String MUTABILITY = "mutability";
  static final String NO_TARGET = "noTarget";

  private final HttpStatus status;
  private final String scimType;

  ScimException(HttpStatus status, String scimType, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.scimType = scimType;
  }

  static ScimException badRequest(String scimType, String detail) {
    return new ScimException(HttpStatus.BAD_REQUEST, scimType, detail);
  }

  /** The id is not repeated: it may be anything a client sent. */
  static ScimException noSuchUser() {
    return new ScimException(HttpStatus.NOT_FOUND, null, "There is no such User in the directory.");
  }

  static ScimException notImplemented(String detail) {
    return new ScimException(HttpStatus.NOT_IMPLEMENTED, null, detail);
  }

  ScimError error() {
    return ScimError.of(status, scimType, getMessage());
  }

  HttpStatus status() {
    return status;
  }
}
