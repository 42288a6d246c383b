package io.portcullis.security;

import io.portcullis.web.PublicUrl;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;

/**
 * Every answer tells the browser to come back over HTTPS only (HSTS) when people reach Portcullis
 * at an {@code https://} public URL. Spring Security writes HSTS only on a request that the node
 * itself sees as secure, which behind a proxy that ends TLS it does only when the proxy's forwarded
 * protocol is trusted ({@code server.forward-headers-strategy}, README "Running in production"); so
 * a node behind such a proxy without it never sent HSTS. The public URL says how people arrive,
 * whatever the proxy set-up; a browser ignores HSTS on an answer that came over plain HTTP, so
 * sending it on every answer costs nothing.
 *
 * <p>Applied to every security filter chain, present and future (each door: the API, engine REST,
 * SCIM, the webapps, the actuator), by Spring Security itself: registered in {@code
 * META-INF/spring.factories} as a default configurer of every {@code HttpSecurity}, so no chain can
 * forget it.
 */
public class StrictTransportSecurity
    extends AbstractHttpConfigurer<StrictTransportSecurity, HttpSecurity> {

  @Override
  public void init(HttpSecurity http) throws Exception {
    ApplicationContext context = http.getSharedObject(ApplicationContext.class);
    PublicUrl publicUrl =
        context == null ? null : context.getBeanProvider(PublicUrl.class).getIfAvailable();
    if (publicUrl != null) {
      http.headers(
          headers ->
              headers.httpStrictTransportSecurity(
                  hsts -> hsts.requestMatcher(request -> request.isSecure() || publicUrl.https())));
    }
  }
}
