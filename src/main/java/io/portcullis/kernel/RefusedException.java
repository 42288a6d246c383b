package io.portcullis.kernel;

import java.util.Optional;

/**
 * Something the caller's part does not allow (the requester approving their own request, a person
 * without the role): the rule, in words. Features throw it or their own subclasses.
 */
public class RefusedException extends RuntimeException implements RuleAnswer {

  public RefusedException(String rule) {
    super(rule);
  }

  /** The rule that refused, in words. */
  public String rule() {
    return getMessage();
  }

  /**
   * The refusal inside an exception, if there is one: the engine wraps what a task listener throws,
   * and its REST resources may wrap that again.
   */
  public static Optional<RefusedException> in(Throwable exception) {
    return Optional.ofNullable(RuleAnswer.find(exception, RefusedException.class));
  }
}
