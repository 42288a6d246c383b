package io.portcullis.kernel;

/**
 * A well-formed ask about someone who does not exist (a person the directory does not know):
 * nothing is done, since the one the caller meant would be left as they are. Not invalid input: the
 * ask itself is sound, only its subject is missing.
 */
public class UnknownSubjectException extends RuntimeException implements RuleAnswer {

  public UnknownSubjectException(String message) {
    super(message);
  }
}
