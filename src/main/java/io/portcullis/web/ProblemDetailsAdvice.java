package io.portcullis.web;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.TooManyException;
import io.portcullis.kernel.UnknownSubjectException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of {@code /api} as RFC 9457 problem details. A validation error names its field, in
 * {@code detail} and in {@code errors[].field}.
 */
@RestControllerAdvice(basePackages = "io.portcullis")
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  /** What a caller who lost a race is told; nothing of theirs was done. */
  static final String CHANGED_MEANWHILE =
      "The request changed while this was being done (another decision, a cancel or a step of "
          + "its own at the same moment); nothing of this call was done. Read it again to see where it stands.";

  /** What a caller whose call outwaited a lock is told; nothing of theirs was done. */
  static final String BUSY =
      "Portcullis is busy with other calls on the same records; nothing of this call was done. Send it again "
          + "after Retry-After.";

  static final int BUSY_RETRY_AFTER_SECONDS = 1;

  /** A rule's answer, at the status {@link RuleStatus} gives it; invalid input names its field. */
  @ExceptionHandler({
    InvalidInputException.class,
    RefusedException.class,
    NotFoundException.class,
    ConflictException.class,
    UnknownSubjectException.class,
    TooManyException.class
  })
  ProblemDetail rule(RuntimeException e) {
    if (e instanceof InvalidInputException invalid) {
      return logged(invalidField(invalid.field(), invalid.reason()));
    }
    return logged(ProblemDetail.forStatusAndDetail(RuleStatus.of(e).orElseThrow(), e.getMessage()));
  }

  /**
   * A rule's answer: one INFO line with the door, the status and the rule, never a stack trace; the
   * engine logs the same refusal at DEBUG only (security/RefusalsAreNotErrors).
   */
  private static ProblemDetail logged(ProblemDetail problem) {
    String where =
        RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet
            ? servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI()
            : "/api";
    log.info(
        "{} refused ({}): {}",
        LogLine.of(where),
        problem.getStatus(),
        LogLine.of(problem.getDetail()));
    return problem;
  }

  /**
   * A path or query parameter that breaks its constraint; the parameter is the last node of the
   * path.
   */
  @ExceptionHandler(ConstraintViolationException.class)
  ProblemDetail constraint(ConstraintViolationException e) {
    ConstraintViolation<?> first = e.getConstraintViolations().iterator().next();
    String parameter = null;
    for (Path.Node node : first.getPropertyPath()) {
      parameter = node.getName();
    }
    return invalidField(parameter, first.getMessage());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail mismatch(MethodArgumentTypeMismatchException e) {
    return invalidField(e.getName(), "has an invalid value");
  }

  /**
   * The engine wraps what a process step throws; the rule that was broken is further down. A change
   * that met another one to the same instance at the same moment (an approval and a cancel, two
   * approvals) lost the engine's optimistic lock, or the database chose it as a deadlock's victim,
   * and was rolled back whole: the state is the winner's, so the caller is told 409 and may read it
   * again, never 500.
   */
  @ExceptionHandler(ProcessEngineException.class)
  ProblemDetail engine(ProcessEngineException e) {
    var refused = RefusedException.in(e);
    if (refused.isPresent()) {
      return rule(refused.get());
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (RuleStatus.of(t).isPresent()) {
        return rule((RuntimeException) t);
      }
      if (t instanceof OptimisticLockingException
          || t instanceof SQLException sql && lostToAnotherTransaction(sql)) {
        log.info("a change met another at the same moment and was rolled back: {}", t.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, CHANGED_MEANWHILE);
      }
      if (t instanceof PessimisticLockingFailureException || t instanceof QueryTimeoutException) {
        // a crowd on one lock (a person's queue, an instance) outwaited the database's lock
        // timeout: the whole call was rolled back, nothing of it was done, and the same call a
        // moment later goes through
        log.warn(
            "a call waited past the database's lock timeout and was rolled back: {}",
            LogLine.of(t.getMessage()));
        retryAfter(BUSY_RETRY_AFTER_SECONDS);
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, BUSY);
      }
    }
    log.error("engine call failed", e);
    return ProblemDetail.forStatusAndDetail(
        HttpStatus.INTERNAL_SERVER_ERROR, "The workflow engine could not complete the step.");
  }

  private static void retryAfter(int seconds) {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet
        && servlet.getResponse() != null) {
      servlet.getResponse().setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
    }
  }

  /**
   * SQLSTATE class 40, transaction rollback: a serialization failure (40001) or a deadlock (40P01,
   * H2's 40001).
   */
  private static boolean lostToAnotherTransaction(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("40");
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<Map<String, String>> errors =
        e.getBindingResult().getFieldErrors().stream()
            .map(
                f ->
                    Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage())))
            .toList();
    String detail =
        errors.stream()
            .map(f -> f.get("field") + ": " + f.get("message"))
            .sorted()
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid request");
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    problem.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field =
          mapping.getPath().stream()
              .map(
                  ref ->
                      ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
              .reduce((a, b) -> a + "." + b)
              .orElse("body");
      return ResponseEntity.badRequest().body(invalidField(field, whatIsWrong(mapping)));
    }
    var duplicate = JsonBodies.duplicateField(e);
    if (duplicate.isPresent()) {
      return ResponseEntity.badRequest()
          .body(invalidField(duplicate.get(), "is given twice; a body names each field once"));
    }
    String detail =
        e.getCause() == null ? "A JSON body is required." : "The body is not valid JSON.";
    return ResponseEntity.badRequest()
        .body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
  }

  /** Said in the API's terms, never in Jackson's (its message names our classes). */
  private static String whatIsWrong(JsonMappingException mapping) {
    if (mapping instanceof UnrecognizedPropertyException unknown) {
      return "is not a field of this body; its fields are "
          + unknown.getKnownPropertyIds().stream()
              .map(String::valueOf)
              .sorted()
              .reduce((a, b) -> a + ", " + b)
              .orElse("none");
    }
    Class<?> type =
        mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
    if (type == Duration.class) {
      return AccessDuration.NOT_ISO + " (a string; a number is refused)";
    }
    if (type == Instant.class) {
      return "is not an ISO-8601 instant such as 2026-01-01T09:00:00Z (text with its offset; a number is refused)";
    }
    if (type == String.class) {
      return "must be text (a JSON string), not a number, a boolean, an object or a list";
    }
    if (type != null && type.isEnum()) {
      return "is not one of "
          + Arrays.stream(type.getEnumConstants())
              .map(String::valueOf)
              .reduce((a, b) -> a + ", " + b)
              .orElse("");
    }
    return "has an invalid value";
  }

  private static ProblemDetail invalidField(String field, String message) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + ": " + message);
    problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
    return problem;
  }
}
