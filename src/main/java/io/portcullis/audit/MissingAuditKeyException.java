package io.portcullis.audit;

/** A key of the audit trail is not configured, or is not what its property promises. */
class MissingAuditKeyException extends IllegalStateException {

  private final String property;

  MissingAuditKeyException(String property, String problem) {
    super(property + " " + problem);
    this.property = property;
  }

  String property() {
    return property;
  }
}
