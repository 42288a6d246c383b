package io.portcullis.credential;

import io.portcullis.security.TokenLogin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * The OAuth door, {@code /oauth2/**}: introspection for resource servers, who log in with a client
 * id and secret of {@code portcullis.credentials.resource-servers} ({@link ResourceServerLogin})
 * and nothing else; no person's login opens it. The token and revocation endpoints are for the
 * holder of a JWT credential, a public client (RFC 6749 section 2.1) whose refresh token or access
 * token is its only proof, so they need no login. Stateless, no session. No CSRF token: these are
 * server-to-server calls with credentials no browser adds by itself, and their clients know nothing
 * of Portcullis' cookies. {@code /.well-known/jwks.json} and the server's metadata are public.
 */
@Configuration(proxyBeanMethods = false)
class OAuthSecurity {

  static final String ROOT = "/oauth2";

  @Bean
  @Order(2)
  SecurityFilterChain oauth2(
      HttpSecurity http, TokenLogin login, CredentialProperties settings, OAuthErrors errors)
      throws Exception {
    return http.securityMatcher(ROOT + "/**")
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(ROOT + "/introspect")
                    .hasAuthority(ResourceServerLogin.AUTHORITY)
                    .requestMatchers(HttpMethod.POST, ROOT + "/token", ROOT + "/revoke")
                    .permitAll()
                    .anyRequest()
                    .denyAll())
        .addFilterBefore(
            new ResourceServerLogin(login, settings, errors), AuthorizationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(errors))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .csrf(csrf -> csrf.disable())
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain wellKnown(HttpSecurity http) throws Exception {
    return http.securityMatcher(DiscoveryController.JWKS, DiscoveryController.METADATA)
        .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .csrf(csrf -> csrf.disable())
        .build();
  }
}
