package io.portcullis.web;

/**
 * A process step that is not owed by anything Portcullis stored (an instance that did not open through
 * Portcullis, a grant nobody approved): refused before it changes a target, answered 409 where a caller
 * drove it.
 */
public class StepRefusedException extends RuntimeException {

  public StepRefusedException(String message) {
    super(message);
  }
}
