package io.portcullis.credential;

import io.portcullis.security.TokenHash;
import io.portcullis.security.TokenLogin;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A resource server's login at introspection: HTTP Basic with its client id and secret,
 * form-encoded first as RFC 6749 section 2.3.1 asks. Checked by {@link TokenLogin} against the
 * configured hash (constant time, wrong secrets audited without the secret and throttled by
 * address), never against the directory: a person's password opens no introspection, and a client's
 * secret no door of people. No credential at all is left to the entry point's 401.
 */
final class ResourceServerLogin extends OncePerRequestFilter {

  static final String AUTHORITY = "RESOURCE_SERVER";
  static final String DOOR = "oauth2-introspect";

  private final TokenLogin login;
  private final Map<String, TokenHash> clients;
  private final OAuthErrors errors;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();

  ResourceServerLogin(TokenLogin login, CredentialProperties settings, OAuthErrors errors) {
    this.login = login;
    this.clients =
        settings.resourceServers().entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().secret()));
    this.errors = errors;
  }

  /** Only introspection takes a client's login: the holder's endpoints take none. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !(OAuthSecurity.ROOT + "/introspect").equals(request.getServletPath());
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
    Optional<String[]> basic = basic(authorization);
    Optional<String> client;
    try {
      String id = basic.map(b -> b[0]).orElse("");
      TokenHash expected = clients.get(id);
      client =
          login.login(
              basic.map(b -> b[1]).orElse(null),
              expected == null ? Map.of() : Map.of(id, expected),
              DOOR,
              request.getRemoteAddr());
    } catch (TokenLogin.Throttled throttled) {
      errors.throttled(response, throttled.retryAfterSeconds());
      return;
    }
    if (client.isEmpty()) {
      errors.invalidClient(response);
      return;
    }
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(
        new PreAuthenticatedAuthenticationToken(
            client.get(), null, List.of(new SimpleGrantedAuthority(AUTHORITY))));
    contexts.setContext(context);
    chain.doFilter(request, response);
  }

  /** The client id and secret of a Basic credential, each form-decoded; empty for anything else. */
  static Optional<String[]> basic(String authorization) {
    String trimmed = authorization.strip();
    if (trimmed.length() < 6
        || !trimmed.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
      return Optional.empty();
    }
    try {
      String pair =
          new String(
              Base64.getDecoder().decode(trimmed.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      if (colon < 0) {
        return Optional.empty();
      }
      return Optional.of(
          new String[] {
            URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8)
          });
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
