package io.portcullis.scim;

import io.portcullis.security.TokenHash;
import io.portcullis.security.TokenLogin;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <token>}, checked by {@link TokenLogin} against the configured hash.
 * The client that presents it is {@code portcullis.scim.client-name}, with one authority, {@link
 * #AUTHORITY}, which only the SCIM door asks for. Any other credential (HTTP Basic included) is a
 * wrong token here; no credential at all is left to the entry point's 401.
 */
final class ScimBearerAuthentication extends OncePerRequestFilter {

  static final String AUTHORITY = "SCIM_CLIENT";
  static final String DOOR = "scim";

  private final TokenLogin login;
  private final TokenHash token;
  private final String clientName;
  private final ScimErrors errors;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();

  ScimBearerAuthentication(TokenLogin login, ScimProperties settings, ScimErrors errors) {
    this.login = login;
    this.token = settings.token();
    this.clientName = settings.clientName();
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String authorization = request.getHeader("Authorization");
    if (authorization == null) {
      chain.doFilter(request, response);
      return;
    }
    boolean accepted;
    try {
      // the token first: a right one is never refused by the throttle, whatever failed from this
      // address
      accepted =
          login.login(TokenLogin.bearer(authorization), token, DOOR, request.getRemoteAddr());
    } catch (TokenLogin.Throttled throttled) {
      errors.throttled(response, throttled.retryAfterSeconds());
      return;
    }
    if (!accepted) {
      errors.commence(request, response, new BadCredentialsException("wrong token"));
      return;
    }
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(
        new PreAuthenticatedAuthenticationToken(
            clientName, null, List.of(new SimpleGrantedAuthority(AUTHORITY))));
    contexts.setContext(context);
    chain.doFilter(request, response);
  }
}
