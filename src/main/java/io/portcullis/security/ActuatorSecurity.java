package io.portcullis.security;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The actuator endpoints: health (with its liveness and readiness groups) is open, for load
 * balancers and orchestrators, and shows no details to anyone; everything else (metrics,
 * Prometheus, info) is for admins only, with HTTP Basic against the directory. A Prometheus server
 * scrapes as a member of the admin group (a service account there).
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSecurity {

  @Bean
  @Order(0)
  SecurityFilterChain actuator(HttpSecurity http, ProblemResponses problems, DirectoryLogin login)
      throws Exception {
    return http.securityMatcher(EndpointRequest.toAnyEndpoint())
        .authenticationManager(
            SecurityConfiguration.only(new DirectoryAuthenticationProvider(login, "actuator")))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
                    .permitAll()
                    .anyRequest()
                    .hasRole("ADMIN"))
        .httpBasic(basic -> basic.authenticationEntryPoint(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // stateless HTTP Basic, read-only endpoints: no cookie, so no cross-site request to forge
        .csrf(csrf -> csrf.disable())
        .build();
  }
}
