package io.portcullis.request;

import io.portcullis.kernel.StepRefusedException;

/**
 * A step that would change a target system is not owed by its request (a grant for a request that
 * is not pending approval-complete, for example): it is refused before any connector call, so that
 * a replayed or misplaced step leaves nothing behind.
 */
public class StepNotOwedException extends StepRefusedException {

  StepNotOwedException(String message) {
    super(message);
  }
}
