package io.portcullis.security;

import io.portcullis.approval.ApprovalRefusedException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.rest.exception.ExceptionHandlerHelper;
import org.camunda.bpm.engine.rest.exception.RestException;

/**
 * On the engine's REST API, a decision that the approval guard refuses is a 403 with the guard's
 * message; any other exception gets Camunda's own answer. The refusal reaches Jersey wrapped, either in
 * a ProcessEngineException or, from the task resources, in a RestException, so there is one mapper for
 * each; Jersey prefers them to Camunda's mappers of the same types because their priority number is lower.
 */
public final class RefusedDecisionsOnEngineRest {

  private RefusedDecisionsOnEngineRest() {}

  static Response answer(RuntimeException exception) {
    return ApprovalRefusedException.in(exception)
        .map(refused -> Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
            .entity(Map.of("type", "ApprovalRefusedException", "message", refused.getMessage())).build())
        .orElseGet(() -> ExceptionHandlerHelper.getInstance().getResponse(exception));
  }

  /** Refusals that reach Jersey as the engine threw them. */
  @Priority(1)
  public static class FromEngine implements ExceptionMapper<ProcessEngineException> {
    @Override
    public Response toResponse(ProcessEngineException exception) {
      return answer(exception);
    }
  }

  /** Refusals that Camunda's REST resources wrapped. */
  @Priority(1)
  public static class FromRestResources implements ExceptionMapper<RestException> {
    @Override
    public Response toResponse(RestException exception) {
      return answer(exception);
    }
  }
}
