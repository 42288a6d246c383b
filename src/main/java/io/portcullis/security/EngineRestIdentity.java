package io.portcullis.security;

import io.portcullis.kernel.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs a call of the engine's REST API as the caller that Spring Security authenticated (by the
 * same {@link DirectoryLogin} as Portcullis' API, so under the same canonical name), for the
 * engine's authorizations and the processes' own checks. Replaces Camunda's own Basic filter, which
 * would take the name as typed.
 */
class EngineRestIdentity extends OncePerRequestFilter {

  private final IdentityService identity;

  EngineRestIdentity(IdentityService identity) {
    this.identity = identity;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !(authentication.getPrincipal() instanceof Caller caller)) {
      chain.doFilter(request, response);
      return;
    }
    identity.setAuthentication(caller.username().value(), caller.groups());
    try {
      chain.doFilter(request, response);
    } finally {
      identity.clearAuthentication();
    }
  }
}
