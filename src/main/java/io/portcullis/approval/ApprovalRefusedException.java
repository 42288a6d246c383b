package io.portcullis.approval;

import io.portcullis.kernel.RefusedException;

/** A decision that the rules of approval do not allow: 403 at every door. */
public class ApprovalRefusedException extends RefusedException {

  public ApprovalRefusedException(String message) {
    super(message);
  }
}
