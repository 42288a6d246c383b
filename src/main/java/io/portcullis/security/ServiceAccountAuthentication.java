package io.portcullis.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.kernel.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <token>} on {@code /api}: a service account ({@link
 * ServiceAccountProperties}) logs in by its token ({@link TokenLogin}, checked before the
 * throttle), then is the caller the directory makes of it ({@link DirectoryLogin#serviceAccount}),
 * with its groups and roles. A request with any other credential goes on to HTTP Basic; a bearer
 * token that is nobody's is 401.
 */
class ServiceAccountAuthentication extends OncePerRequestFilter {

  static final String DOOR = "api";

  private final TokenLogin tokens;
  private final DirectoryLogin login;
  private final Map<String, TokenHash> accounts;
  private final ObjectMapper json;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();

  ServiceAccountAuthentication(
      TokenLogin tokens,
      DirectoryLogin login,
      ServiceAccountProperties accounts,
      ObjectMapper json) {
    this.tokens = tokens;
    this.login = login;
    this.accounts = accounts.tokens();
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String token = TokenLogin.bearer(request.getHeader("Authorization"));
    if (token == null) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Caller> caller;
    try {
      caller =
          tokens
              .login(token, accounts, DOOR, request.getRemoteAddr())
              .flatMap(account -> login.serviceAccount(account, DOOR, request.getRemoteAddr()));
    } catch (TokenLogin.Throttled throttled) {
      response.setHeader("Retry-After", String.valueOf(throttled.retryAfterSeconds()));
      ProblemResponses.write(
          json,
          request,
          response,
          HttpStatus.TOO_MANY_REQUESTS,
          "Too many wrong tokens from this address; try again later.");
      return;
    } catch (DirectoryUnavailableException down) {
      response.setHeader(
          "Retry-After", String.valueOf(DirectoryUnavailableException.RETRY_AFTER_SECONDS));
      ProblemResponses.write(
          json,
          request,
          response,
          HttpStatus.SERVICE_UNAVAILABLE,
          "The directory does not answer, so the service account cannot be looked up now; try again shortly.");
      return;
    }
    if (caller.isEmpty()) {
      response.setHeader(
          "WWW-Authenticate", "Bearer realm=\"Portcullis\", error=\"invalid_token\"");
      ProblemResponses.write(
          json,
          request,
          response,
          HttpStatus.UNAUTHORIZED,
          "The bearer token is no service account's, or that account may not log in.");
      return;
    }
    List<SimpleGrantedAuthority> authorities =
        caller.get().roles().stream()
            .map(r -> new SimpleGrantedAuthority("ROLE_" + r.name()))
            .toList();
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(caller.get(), null, authorities));
    contexts.setContext(context);
    chain.doFilter(request, response);
  }
}
