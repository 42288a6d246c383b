package io.portcullis.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.kernel.Caller;
import io.portcullis.web.ProblemBodies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Lazy;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

/** 401 and 403 from the security filters, as problem details like every other error of the API. */
@Component
class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final ObjectMapper json;
  private final AuditTrail trail;

  ProblemResponses(ObjectMapper json, @Lazy AuditTrail trail) {
    this.json = json;
    this.trail = trail;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (e instanceof LoginThrottledException throttled) {
      response.setHeader("Retry-After", String.valueOf(throttled.retryAfterSeconds()));
      write(
          request,
          response,
          HttpStatus.TOO_MANY_REQUESTS,
          "Too many failed logins for this name from this address; try again later.");
      return;
    }
    if (e instanceof DirectoryUnavailableException) {
      response.setHeader(
          "Retry-After", String.valueOf(DirectoryUnavailableException.RETRY_AFTER_SECONDS));
      write(
          request,
          response,
          HttpStatus.SERVICE_UNAVAILABLE,
          "The directory does not answer, so no password can be checked now; "
              + "try again shortly.");
      return;
    }
    response.setHeader("WWW-Authenticate", "Basic realm=\"Portcullis\", charset=\"UTF-8\"");
    write(
        request,
        response,
        HttpStatus.UNAUTHORIZED,
        "Authentication is required: HTTP Basic with your directory credentials.");
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    String actor = DirectoryLogin.ANONYMOUS;
    if (request.getUserPrincipal() instanceof Authentication auth
        && auth.getPrincipal() instanceof Caller caller) {
      actor = caller.username().value();
    }
    trail.recordOnItsOwn(
        AuditEvent.Draft.by(actor, AuditAction.ACTION_REFUSED)
            .detail(
                "door", request.getRequestURI().startsWith("/engine-rest") ? "engine-rest" : "api")
            .detail("attempted", request.getMethod() + " " + request.getRequestURI())
            .detail("why", "role"));
    write(request, response, HttpStatus.FORBIDDEN, "Your role does not allow this.");
  }

  private void write(
      HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    write(json, request, response, status, detail);
  }

  /** A problem-details answer from a filter, before any controller advice can answer. */
  static void write(
      ObjectMapper json,
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      String detail)
      throws IOException {
    ProblemBodies.write(json, response, status, detail, request.getRequestURI());
  }
}
