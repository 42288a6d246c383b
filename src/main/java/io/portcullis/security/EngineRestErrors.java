package io.portcullis.security;

import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.StepRefusedException;
import io.portcullis.web.LogLine;
import io.portcullis.web.RuleStatus;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * The answers of the engine's REST API when something goes wrong, in Camunda's shape ({@code type},
 * {@code message}), but telling the caller nothing they should not know: no class name or stack
 * trace of ours, no id of another person's instance or task in a refusal, no engine internals in a
 * 500.
 *
 * <ul>
 *   <li>a decision the approval guard refuses: 403 with the guard's reason;
 *   <li>input that breaks a rule of access requests: 400 naming the field;
 *   <li>steering and statistics that only admins may have ({@link EngineDoors}): 403 saying what is
 *       theirs;
 *   <li>a request that a bound refuses (too many waiting): its status (409, 429) and the rule in
 *       words;
 *   <li>an authorization the engine refuses, or a correlation that matches nothing: 403 or 400,
 *       with a message that names no resource;
 *   <li>a step of an instance that did not open through Portcullis: 409;
 *   <li>anything else Camunda answers itself, except that a 500 says only that it failed (the log
 *       has the exception).
 * </ul>
 *
 * Camunda wraps an exception of a listener in a ProcessEngineException, and its REST resources may
 * wrap that in a RestException, so the cause chain is searched. Jersey prefers these mappers to
 * Camunda's for the same types because their priority number is lower.
 */
public final class EngineRestErrors {

  private static final Logger log = LoggerFactory.getLogger(EngineRestErrors.class);

  private EngineRestErrors() {}

  static Response answer(Throwable exception) {
    Optional<RefusedException> refused = RefusedException.in(exception);
    if (refused.isPresent()) {
      return json(Response.Status.FORBIDDEN, "Forbidden", refused.get().getMessage());
    }
    InvalidInputException invalid = cause(exception, InvalidInputException.class);
    if (invalid != null) {
      return json(Response.Status.BAD_REQUEST, "InvalidRequestException", invalid.getMessage());
    }
    EngineDoors.AdminsOnlyException adminsOnly =
        cause(exception, EngineDoors.AdminsOnlyException.class);
    if (adminsOnly != null) {
      return json(Response.Status.FORBIDDEN, "AuthorizationException", adminsOnly.getMessage());
    }
    Throwable refusal = RuleStatus.firstIn(exception).orElse(null);
    if (refusal != null) {
      HttpStatus rule = RuleStatus.of(refusal).orElseThrow();
      Response.StatusType status = Response.Status.fromStatusCode(rule.value());
      return json(
          status == null ? Response.Status.BAD_REQUEST : status,
          rule.getReasonPhrase().replace(" ", ""),
          refusal.getMessage());
    }
    if (cause(exception, AuthorizationException.class) != null) {
      return json(
          Response.Status.FORBIDDEN,
          "AuthorizationException",
          "Your engine permissions do not allow this. Requesters and approvers work through Portcullis' API (/api) and Tasklist.");
    }
    if (cause(exception, MismatchingMessageCorrelationException.class) != null) {
      return json(
          Response.Status.BAD_REQUEST,
          "InvalidRequestException",
          "No process instance that you may see waits for this message.");
    }
    if (cause(exception, StepRefusedException.class) != null) {
      return json(
          Response.Status.CONFLICT,
          "Conflict",
          "This step is not owed by any access request; nothing was done.");
    }
    Response camunda = ExceptionHandlerHelper.getInstance().getResponse(exception);
    if (camunda.getStatus() >= 500) {
      log.error("engine REST call failed", exception);
      return json(
          Response.Status.fromStatusCode(camunda.getStatus()),
          "ServerError",
          "The engine could not complete the request.");
    }
    return camunda;
  }

  private static <T extends Throwable> T cause(Throwable exception, Class<T> type) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static Response json(Response.StatusType status, String type, String message) {
    if (status.getStatusCode() < 500) {
      // a refusal: one line with the rule, no trace (RefusalsAreNotErrors keeps the engine's own
      // log quiet)
      log.info("engine API refused ({}): {}", status.getStatusCode(), LogLine.of(message));
    }
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("type", type, "message", message))
        .build();
  }

  /** Errors that reach Jersey as the engine threw them. */
  @Priority(1)
  public static class FromEngine implements ExceptionMapper<ProcessEngineException> {
    @Override
    public Response toResponse(ProcessEngineException exception) {
      return answer(exception);
    }
  }

  /** Errors that Camunda's REST resources wrapped. */
  @Priority(1)
  public static class FromRestResources implements ExceptionMapper<RestException> {
    @Override
    public Response toResponse(RestException exception) {
      return answer(exception);
    }
  }

  /** Everything else, our own exceptions from a listener included. */
  @Priority(1)
  public static class FromAnywhere implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable exception) {
      return answer(exception);
    }
  }
}
