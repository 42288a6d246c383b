package io.portcullis.security;

import io.portcullis.kernel.LeavingPeople;
import io.portcullis.kernel.Username;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends the Tasklist, Cockpit or Admin session of a person whom an offboarding froze, at their next
 * request: the webapps keep their own session and would otherwise trust it until its authentication
 * cache runs out (five minutes by default), even though the directory no longer lets the person
 * bind. The answer is 401, as for a session that timed out, and the webapp shows its login form.
 */
class LeaversOutOfWebapps extends OncePerRequestFilter {

  private final LeavingPeople leaving;

  LeaversOutOfWebapps(LeavingPeople leaving) {
    this.leaving = leaving;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    Authentications authentications =
        session == null ? null : AuthenticationUtil.getAuthsFromSession(session);
    if (authentications != null) {
      for (UserAuthentication authentication : authentications.getAuthentications()) {
        // a name no login could have was never offboarded
        if (Username.valid(authentication.getName()).map(leaving::frozen).orElse(false)) {
          session.invalidate();
          response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
          return;
        }
      }
    }
    chain.doFilter(request, response);
  }
}
