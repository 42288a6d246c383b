package io.portcullis.kernel;

/**
 * A process step that nothing Portcullis stored owes (an instance that did not open through
 * Portcullis, a grant nobody approved): refused before it changes a target. Not a rule's answer to
 * a caller's input but the process's own guard; where a caller drove the step, it is told that the
 * step is not owed.
 */
public class StepRefusedException extends RuntimeException {

  public StepRefusedException(String message) {
    super(message);
  }
}
