package io.portcullis.credential;

import io.portcullis.security.TokenLogin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * The OAuth door, {@code /oauth2/**}: introspection for resource servers, who log in with a client
 * id and secret of {@code portcullis.credentials.resource-servers} ({@link ResourceServerLogin})
 * and nothing else; no person's login opens it. Stateless, no session. No CSRF token: these are
 * server-to-server calls with credentials no browser adds by itself, and their clients know nothing
 * of Portcullis' cookies.
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
}
