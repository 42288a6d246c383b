package io.portcullis.security;

import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.springframework.stereotype.Component;

/**
 * The engine's REST API, as the Camunda starter builds it, with Portcullis' error answers ({@link
 * EngineRestErrors}). No WADL document: nothing asks for it, and without a JAXB implementation
 * Jersey warns on the first call (Operaton's starter leaves WADL on).
 */
@Component
class EngineRestResources extends CamundaJerseyResourceConfig {

  EngineRestResources() {
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
  }

  @Override
  protected void registerAdditionalResources() {
    register(EngineRestErrors.FromEngine.class);
    register(EngineRestErrors.FromRestResources.class);
    register(EngineRestErrors.FromAnywhere.class);
  }
}
