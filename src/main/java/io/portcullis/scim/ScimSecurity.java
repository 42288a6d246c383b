package io.portcullis.scim;

import io.portcullis.security.TokenLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * The SCIM door, {@code /scim/**}: the identity provider's bearer token and nothing else. The token
 * opens only this door (the other chains take HTTP Basic against the directory and ignore it), and
 * no directory login opens this one. Stateless: no session, no cookie. No CSRF token either: a
 * browser never adds a bearer token to a request by itself, as it does Basic credentials, so
 * another site cannot make a request that carries it.
 */
@Configuration(proxyBeanMethods = false)
class ScimSecurity {

  private static final Logger log = LoggerFactory.getLogger(ScimSecurity.class);

  @Bean
  @Order(2)
  SecurityFilterChain scim(
      HttpSecurity http, TokenLogin login, ScimProperties settings, ScimErrors errors)
      throws Exception {
    if (settings.token() == null) {
      log.info(
          "The SCIM door ({}) is closed: portcullis.scim.token-sha256 is not set, so every request there is refused",
          Scim.BASE);
    }
    return http.securityMatcher(Scim.ROOT, Scim.ROOT + "/**")
        .authorizeHttpRequests(
            auth -> auth.anyRequest().hasAuthority(ScimBearerAuthentication.AUTHORITY))
        .addFilterBefore(
            new ScimBearerAuthentication(login, settings, errors), AuthorizationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .csrf(csrf -> csrf.disable())
        .build();
  }
}
