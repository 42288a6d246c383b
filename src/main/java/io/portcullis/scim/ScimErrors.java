package io.portcullis.scim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.web.ErrorDialect;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

/**
 * Every error under {@code /scim} is a SCIM error ({@code application/scim+json}, RFC 7644 §3.12),
 * whoever answers: the bearer-token filter (401, 429), Spring MVC (400, 405, 415, through the
 * container's error page), Tomcat itself, a controller ({@link ScimErrorAdvice}). An identity
 * provider shows its administrator the {@code detail}, so it says what to change.
 */
@Component
class ScimErrors implements ErrorDialect, AuthenticationEntryPoint, AccessDeniedHandler {

  private final ObjectMapper json;

  ScimErrors(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public boolean covers(String requestUri) {
    return Scim.covers(requestUri);
  }

  @Override
  public MediaType mediaType() {
    return Scim.MEDIA_TYPE;
  }

  @Override
  public Object body(HttpStatus status, String detail) {
    return ScimError.of(status, null, detailOf(status, detail));
  }

  /** No token, or one that is not the configured one (RFC 6750 §3 says which in the challenge). */
  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    boolean presented = request.getHeader("Authorization") != null;
    response.setHeader(
        "WWW-Authenticate",
        "Bearer realm=\"Portcullis SCIM\"" + (presented ? ", error=\"invalid_token\"" : ""));
    write(
        response,
        HttpStatus.UNAUTHORIZED,
        presented
            ? "The bearer token is not the one configured for this SCIM client."
            : "Authentication is required: Authorization: Bearer with the SCIM client's token.");
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(response, HttpStatus.FORBIDDEN, "The SCIM client may not do this.");
  }

  void throttled(HttpServletResponse response, long retryAfterSeconds) throws IOException {
    response.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    write(
        response,
        HttpStatus.TOO_MANY_REQUESTS,
        "Too many wrong tokens from this address; try again later.");
  }

  private void write(HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(Scim.MEDIA_TYPE_VALUE);
    json.writeValue(response.getOutputStream(), ScimError.of(status, null, detail));
  }

  /** The container's words, where they fit SCIM; a few say more. */
  private static String detailOf(HttpStatus status, String detail) {
    return switch (status) {
      case NOT_FOUND ->
          "There is nothing at this address; the SCIM endpoints are "
              + Scim.BASE
              + "/Users and "
              + Scim.BASE
              + "/ServiceProviderConfig.";
      case UNSUPPORTED_MEDIA_TYPE ->
          "A SCIM request body is Content-Type: application/scim+json (or application/json).";
      default -> detail;
    };
  }
}
