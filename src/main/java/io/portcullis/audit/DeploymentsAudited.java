package io.portcullis.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.deploy.Deployer;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * A new deployment of processes, decisions or forms (at start-up, from Camunda Modeler, or through the
 * engine's REST API) changes who approves what, so it is an audit event, written in the deployment's
 * own transaction. Deployments the engine only reloads into its cache are not new and not recorded.
 */
@Component
class DeploymentsAudited extends AbstractProcessEnginePlugin {

  private final AuditTrail trail;

  DeploymentsAudited(@Lazy AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<Deployer> deployers = configuration.getCustomPostDeployers() == null
        ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPostDeployers());
    deployers.add(this::deployed);
    configuration.setCustomPostDeployers(deployers);
  }

  private void deployed(DeploymentEntity deployment) {
    if (!deployment.isNew()) {
      return;
    }
    String actor = Context.getCommandContext().getAuthenticatedUserId();
    trail.record(AuditEvent.Draft.by(actor == null ? AuditEvent.SYSTEM : actor, AuditAction.DEPLOYMENT_CREATED)
        .detail("deploymentId", deployment.getId())
        .detail("name", deployment.getName())
        .detail("source", deployment.getSource())
        .detail("resources", String.join(", ", new TreeSet<>(deployment.getResources().keySet()))));
  }
}
