package io.portcullis.approval;

/** A decision that the rules of approval do not allow: the REST API answers 403. */
public class ApprovalRefusedException extends RuntimeException {

  public ApprovalRefusedException(String message) {
    super(message);
  }
}
