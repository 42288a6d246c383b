package io.portcullis.web;

import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.RuleAnswer;
import io.portcullis.kernel.TooManyException;
import io.portcullis.kernel.UnknownSubjectException;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * The one mapping of the domain's errors to HTTP statuses, for every door that answers over HTTP
 * (the API's problem details, SCIM's errors, the engine's REST API): the domain says which rule,
 * the edge says which status.
 */
public final class RuleStatus {

  private RuleStatus() {}

  /** The status of a rule's answer; empty for anything else. */
  public static Optional<HttpStatus> of(Throwable e) {
    if (!(e instanceof RuleAnswer)) {
      return Optional.empty();
    }
    HttpStatus status =
        e instanceof InvalidInputException
            ? HttpStatus.BAD_REQUEST
            : e instanceof RefusedException
                ? HttpStatus.FORBIDDEN
                : e instanceof NotFoundException
                    ? HttpStatus.NOT_FOUND
                    : e instanceof ConflictException
                        ? HttpStatus.CONFLICT
                        : e instanceof UnknownSubjectException
                            ? HttpStatus.UNPROCESSABLE_ENTITY
                            : e instanceof TooManyException ? HttpStatus.TOO_MANY_REQUESTS : null;
    return Optional.ofNullable(status);
  }

  /**
   * The first rule's answer in this exception or its causes (the engine wraps what a step throws).
   */
  public static Optional<Throwable> firstIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (of(t).isPresent()) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
