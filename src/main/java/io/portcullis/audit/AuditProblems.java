package io.portcullis.audit;

import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A bad audit query parameter as a 400 problem that names it, as the rest of the API does for fields. */
@RestControllerAdvice(assignableTypes = AuditController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class AuditProblems {

  @ExceptionHandler(InvalidAuditParameterException.class)
  ProblemDetail invalid(InvalidAuditParameterException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setProperty("errors", List.of(Map.of("field", e.parameter(), "message", e.reason())));
    return problem;
  }
}
