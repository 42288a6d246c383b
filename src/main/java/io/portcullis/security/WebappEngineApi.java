package io.portcullis.security;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.camunda.bpm.spring.boot.starter.webapp.CamundaBpmWebappAutoConfiguration;
import org.camunda.bpm.webapp.impl.engine.EngineRestApplication;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * The engine API that Tasklist, Cockpit and Admin call ({@code /camunda/api/engine/*}), with the
 * same error answers as {@code /engine-rest} ({@link EngineRestErrors}). Without them, a start form
 * that the process refuses (a duration too long, a resource not in the catalog) answers 500 with
 * our exception's class name in the message, and Tasklist shows that to the person.
 *
 * <p>The Camunda starter registers this servlet only if none of its name exists yet, so registering
 * it first, under the same name and path, with the same application plus our mappers, replaces it.
 * Only when the webapps are on: their own filters (login, CSRF) guard this path, and without them
 * the servlet would be an engine API open to anyone.
 */
@Component
class WebappEngineApi implements ServletContextInitializer, Ordered {

  /** The name under which the Camunda starter registers the webapps' engine API. */
  static final String SERVLET_NAME = "Engine Api";

  private final CamundaBpmProperties camunda;
  // the webapps' auto-configuration, present when they are on; not its initializer, which
  // Operaton's
  // starter makes package-private (the same source builds on both: operaton/rewrite.yml)
  private final ObjectProvider<CamundaBpmWebappAutoConfiguration> webapps;

  WebappEngineApi(
      CamundaBpmProperties camunda, ObjectProvider<CamundaBpmWebappAutoConfiguration> webapps) {
    this.camunda = camunda;
    this.webapps = webapps;
  }

  @Override
  public void onStartup(ServletContext servletContext) {
    if (webapps.getIfAvailable() == null) {
      return;
    }
    ServletRegistration.Dynamic servlet =
        servletContext.addServlet(SERVLET_NAME, ServletContainer.class);
    if (servlet == null) {
      throw new IllegalStateException(
          "the servlet '"
              + SERVLET_NAME
              + "' was registered before Portcullis could add its error answers");
    }
    servlet.setInitParameter("jakarta.ws.rs.Application", WithPortcullisErrors.class.getName());
    servlet.addMapping(camunda.getWebapp().getApplicationPath() + "/api/engine/*");
  }

  /** Before the Camunda starter's initializer, which keeps a servlet that is already there. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  /**
   * Camunda's application for the webapps' engine API, and the mappers of {@link EngineRestErrors}.
   */
  public static class WithPortcullisErrors extends EngineRestApplication {
    @Override
    public Set<Class<?>> getClasses() {
      Set<Class<?>> classes = new HashSet<>(super.getClasses());
      classes.add(EngineRestErrors.FromEngine.class);
      classes.add(EngineRestErrors.FromRestResources.class);
      classes.add(EngineRestErrors.FromAnywhere.class);
      return classes;
    }

    /** No WADL document, as on /engine-rest ({@link EngineRestResources}). */
    @Override
    public Map<String, Object> getProperties() {
      Map<String, Object> properties = new HashMap<>(super.getProperties());
      properties.put(ServerProperties.WADL_FEATURE_DISABLE, true);
      return properties;
    }
  }
}
