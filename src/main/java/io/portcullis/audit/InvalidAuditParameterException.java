package io.portcullis.audit;

/** A query parameter of the audit API that is not valid; names the parameter. */
class InvalidAuditParameterException extends RuntimeException {

  private final String parameter;
  private final String reason;

  InvalidAuditParameterException(String parameter, String reason) {
    super(parameter + ": " + reason);
    this.parameter = parameter;
    this.reason = reason;
  }

  String parameter() {
    return parameter;
  }

  String reason() {
    return reason;
  }
}
