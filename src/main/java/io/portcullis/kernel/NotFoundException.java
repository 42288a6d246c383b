package io.portcullis.kernel;

/**
 * What was asked for is not there, or the caller may not see it: the two answer alike, so that
 * nobody learns which ids exist.
 */
public class NotFoundException extends RuntimeException implements RuleAnswer {

  public NotFoundException(String message) {
    super(message);
  }
}
