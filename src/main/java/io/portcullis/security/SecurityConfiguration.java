package io.portcullis.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.audit.AuditTrail;
import io.portcullis.kernel.LeavingPeople;
import io.portcullis.web.PublicUrl;
import java.net.URI;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;

/**
 * Who may call what. Every door logs people in through {@link DirectoryLogin}, under the
 * directory's own name for them.
 *
 * <ul>
 *   <li>{@code /api/**} and its documentation: HTTP Basic, or a service account's bearer token
 *       ({@link ServiceAccountAuthentication}), no session; roles are checked here where they are
 *       coarse (audit, for every method) and in the services where they depend on the request.
 *   <li>{@code /engine-rest/**}: HTTP Basic the same way, then the engine's authorizations, with
 *       the caller as the engine's current user.
 *   <li>The webapps (Tasklist, Cockpit, Admin) keep their own session and CSRF protection; their
 *       login form goes through {@link WebappLogin}; Cockpit's and Admin's plugin APIs are for
 *       those who may open those apps ({@link WebappPluginApis}).
 *   <li>{@code /scim/**} is the identity provider's: its bearer token ({@link TokenLogin}) in a
 *       chain the SCIM module makes itself, since its errors are SCIM's; the token opens none of
 *       the doors here.
 * </ul>
 *
 * Requests that change state must not be makeable by another site ({@link CrossSiteRequests}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  PublicUrl publicUrl(@Value("${portcullis.public-url:http://localhost:8080}") URI url) {
    return new PublicUrl(url);
  }

  @Bean
  @Order(1)
  SecurityFilterChain api(
      HttpSecurity http,
      ProblemResponses problems,
      DirectoryLogin login,
      TokenLogin tokens,
      ServiceAccountProperties serviceAccounts,
      PublicUrl publicUrl,
      CrossSiteProperties crossSite,
      ObjectMapper json)
      throws Exception {
    return http.securityMatcher("/api/**", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
        .authenticationManager(only(new DirectoryAuthenticationProvider(login, "api")))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/api/audit/**")
                    .hasAnyRole("AUDITOR", "ADMIN")
                    .anyRequest()
                    .authenticated())
        .httpBasic(basic -> basic.authenticationEntryPoint(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // stateless HTTP Basic, no cookie; cross-site requests are refused by CrossSiteRequests
        // instead
        .csrf(csrf -> csrf.disable())
        .addFilterBefore(
            new CrossSiteRequests(publicUrl, crossSite, json, true),
            BasicAuthenticationFilter.class)
        .addFilterBefore(
            new ServiceAccountAuthentication(tokens, login, serviceAccounts, json),
            BasicAuthenticationFilter.class)
        .build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain engineRest(
      HttpSecurity http,
      ProblemResponses problems,
      DirectoryLogin login,
      IdentityService identity,
      PublicUrl publicUrl,
      CrossSiteProperties crossSite,
      ObjectMapper json)
      throws Exception {
    return http
        // Jersey's servlet, not Spring MVC's: a plain path pattern, not an MVC matcher
        .securityMatcher(AntPathRequestMatcher.antMatcher("/engine-rest/**"))
        .authenticationManager(only(new DirectoryAuthenticationProvider(login, "engine-rest")))
        .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
        .httpBasic(basic -> basic.authenticationEntryPoint(problems))
        .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .addFilterBefore(
            new CrossSiteRequests(publicUrl, crossSite, json, false),
            BasicAuthenticationFilter.class)
        .addFilterAfter(new EngineRestIdentity(identity), AuthorizationFilter.class)
        // links in the engine's answers are built from the public URL, not the Host header
        .addFilterAfter(publicUrl, EngineRestIdentity.class)
        .build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain webapps(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
        // the Camunda webapps carry their own CSRF filter and log people in themselves (see
        // WebappLogin)
        .csrf(csrf -> csrf.disable())
        .headers(Customizer.withDefaults())
        .build();
  }

  /**
   * The directory is the only way in: no parent manager (Boot's would add an in-memory user), and a
   * throttled login stays a throttled login instead of falling through to another provider.
   */
  static AuthenticationManager only(DirectoryAuthenticationProvider provider) {
    ProviderManager manager = new ProviderManager(provider);
    manager.setEraseCredentialsAfterAuthentication(true);
    return manager;
  }

  @Bean
  FilterRegistrationBean<WebappLogin> webappLogin(
      DirectoryLogin login, @Lazy AuditTrail trail, CamundaBpmProperties camunda) {
    FilterRegistrationBean<WebappLogin> registration =
        new FilterRegistrationBean<>(new WebappLogin(login, trail));
    registration.setName("portcullis-webapp-login");
    registration.addUrlPatterns(
        camunda.getWebapp().getApplicationPath() + "/api/admin/auth/user/*");
    registration.setOrder(0);
    return registration;
  }

  @Bean
  FilterRegistrationBean<LeaversOutOfWebapps> leaversOutOfWebapps(
      LeavingPeople leaving, CamundaBpmProperties camunda) {
    FilterRegistrationBean<LeaversOutOfWebapps> registration =
        new FilterRegistrationBean<>(new LeaversOutOfWebapps(leaving));
    registration.setName("portcullis-leavers-out-of-webapps");
    // every call a webapp page makes goes through its API; its pages and scripts need no look-up
    registration.addUrlPatterns(camunda.getWebapp().getApplicationPath() + "/api/*");
    registration.setOrder(1);
    return registration;
  }

  @Bean
  FilterRegistrationBean<WebappPluginApis> webappPluginApis(
      CamundaBpmProperties camunda, ObjectMapper json, @Lazy AuditTrail trail) {
    String path = camunda.getWebapp().getApplicationPath();
    FilterRegistrationBean<WebappPluginApis> registration =
        new FilterRegistrationBean<>(new WebappPluginApis(path, json, trail));
    registration.setName("portcullis-webapp-plugin-apis");
    registration.addUrlPatterns(path + "/api/cockpit/*", path + "/api/admin/*");
    registration.setOrder(2);
    return registration;
  }

  /** The filter beans above are for the security chains only, not for every request. */
  @Bean
  FilterRegistrationBean<PublicUrl> publicUrlNotEverywhere(PublicUrl publicUrl) {
    FilterRegistrationBean<PublicUrl> registration = new FilterRegistrationBean<>(publicUrl);
    registration.setEnabled(false);
    return registration;
  }
}
