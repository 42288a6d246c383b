package io.portcullis.credential;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/**
 * The OAuth endpoints' refusals in OAuth's own form (RFC 6749 section 5.2), not problem details: a
 * resource server's OAuth library reads {@code error}. A client that fails to authenticate is
 * {@code 401 invalid_client} with {@code WWW-Authenticate: Basic}.
 */
@Component
class OAuthErrors implements AuthenticationEntryPoint {

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    invalidClient(response);
  }

  void invalidClient(HttpServletResponse response) throws IOException {
    response.setHeader("WWW-Authenticate", "Basic realm=\"portcullis-oauth2\", charset=\"UTF-8\"");
    write(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_client");
  }

  void throttled(HttpServletResponse response, long retryAfterSeconds) throws IOException {
    response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
    write(response, 429, "slow_down");
  }

  static void write(HttpServletResponse response, int status, String error) throws IOException {
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.getWriter().write("{\"error\":\"" + error + "\"}");
  }
}
