package io.portcullis.security;

import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.springframework.stereotype.Component;

/**
 * The engine's REST API, as the Camunda starter builds it, with Portcullis' error answers ({@link
 * EngineRestErrors}).
 */
@Component
class EngineRestResources extends CamundaJerseyResourceConfig {

  @Override
  protected void registerAdditionalResources() {
    register(EngineRestErrors.FromEngine.class);
    register(EngineRestErrors.FromRestResources.class);
    register(EngineRestErrors.FromAnywhere.class);
  }
}
