package io.portcullis.security;

import org.camunda.bpm.spring.boot.starter.rest.CamundaJerseyResourceConfig;
import org.springframework.stereotype.Component;

/**
 * The engine's REST API, as the Camunda starter builds it, plus one answer of ours: a decision that the
 * approval guard refuses (self-approval, outside the approver group) is a 403, as on Portcullis' own
 * API. Camunda wraps every exception of a task listener in a ProcessEngineException, which its REST API
 * would answer with 500; every other exception is still answered by Camunda's own handler.
 */
@Component
class EngineRestResources extends CamundaJerseyResourceConfig {

  @Override
  protected void registerAdditionalResources() {
    register(RefusedDecisionsOnEngineRest.FromEngine.class);
    register(RefusedDecisionsOnEngineRest.FromRestResources.class);
  }
}
