package io.portcullis.kernel;

/**
 * A bound on how much one person may have waiting is reached (a queue is full): the message names
 * the bound and what frees a place. Nothing about time: a place frees when something is decided,
 * not after a wait.
 */
public class TooManyException extends RuntimeException implements RuleAnswer {

  public TooManyException(String message) {
    super(message);
  }
}
