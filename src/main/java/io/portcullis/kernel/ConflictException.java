package io.portcullis.kernel;

/**
 * What was asked for does not fit the state its object is in (a request no longer pending, an
 * offboarding already under way, a reference used for another person): the message says which
 * state.
 */
public class ConflictException extends RuntimeException implements RuleAnswer {

  public ConflictException(String message) {
    super(message);
  }
}
