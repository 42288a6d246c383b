package io.portcullis.approval;

import java.util.Optional;

/** A decision that the rules of approval do not allow: the REST API answers 403. */
public class ApprovalRefusedException extends RuntimeException {

  public ApprovalRefusedException(String message) {
    super(message);
  }

  /**
   * The refusal inside an exception, if there is one: the engine wraps what a task listener throws,
   * and its REST resources may wrap that again.
   */
  public static Optional<ApprovalRefusedException> in(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof ApprovalRefusedException refused) {
        return Optional.of(refused);
      }
    }
    return Optional.empty();
  }
}
