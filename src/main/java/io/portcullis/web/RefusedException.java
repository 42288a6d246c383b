package io.portcullis.web;

import java.util.Optional;

/**
 * Something the caller's part does not allow (the requester approving their own request, say): 403 at
 * every door. Features throw their own subclasses; the doors know only this type.
 */
public class RefusedException extends RuntimeException {

  public RefusedException(String message) {
    super(message);
  }

  /**
   * The refusal inside an exception, if there is one: the engine wraps what a task listener throws,
   * and its REST resources may wrap that again.
   */
  public static Optional<RefusedException> in(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof RefusedException refused) {
        return Optional.of(refused);
      }
    }
    return Optional.empty();
  }
}
