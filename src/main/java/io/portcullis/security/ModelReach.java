package io.portcullis.security;

import java.util.Set;
import java.util.TreeSet;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import org.camunda.bpm.engine.ArtifactFactory;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.scripting.engine.ScriptEngineResolver;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.stereotype.Component;

/**
 * What a deployed model may reach. A process owner, or anyone an admin's credentials leak to, can deploy
 * BPMN and DMN to the running engine (Camunda Modeler, {@code /engine-rest/deployment/create}); without
 * this, its expressions could call every bean of the application (the connectors, the audit keys, the
 * data source) and grant access with no request, approval, expiry or audit. So a deployed model reaches
 * what the product's own models ({@code processes/}) reach, and nothing else:
 * <ul>
 *   <li>expressions see only the beans named in {@link #BEANS} (the engine's bean whitelist), and call
 *       methods only on those beans and on plain values ({@link ModelExpressions});
 *   <li>scripts do not run: no language has an engine (a script task, listener or condition fails);
 *   <li>no Java class is instantiated for a model ({@code camunda:class}, the shell and mail tasks).
 * </ul>
 * The product's models use none of the last two, and name only beans of {@link #BEANS}: ModelReachTests
 * reads every expression in {@code processes/} and fails when a model names a bean not here, or when a
 * bean here is no longer named (so a model change can neither lose a bean silently nor leave one open).
 */
@Component
class ModelReach extends AbstractProcessEnginePlugin {

  /** The beans that {@code processes/*.bpmn} and {@code processes/*.dmn} name, exactly. */
  static final Set<String> BEANS = new TreeSet<>(Set.of(
      // processes/jit-access.bpmn and access-revocation.bpmn
      "accessRequests", "approvalGuard", "approvalStages", "approvalTask", "approverBriefing", "checkStandingAccess",
      "escalateStage", "grantAccess", "revokeAccess", "startAccessClock",
      // processes/offboarding.bpmn
      "cancelPendingRequests", "discoverHoldings", "endGrant", "findPerson", "findingsTask", "freezeAccount", "handBackTasks",
      "offboardingSaga", "planRevokes", "revokeStanding", "verifyNothingLeft",
      // processes/notification.bpmn and audit-checkpoint.bpmn
      "sendNotification", "pruneAuditTrail", "signAuditCheckpoint"));

  private final BeanFactory beanFactory;

  ModelReach(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    ModelBeans beans = new ModelBeans(BEANS, beanFactory);
    // the whitelist also keeps the Spring starter from offering every bean to scripts
    configuration.setBeans(beans);
    configuration.setExpressionManager(new ModelExpressions(beans));
    configuration.setScriptEngineResolver(new NoScripts());
    configuration.setArtifactFactory(new NoJavaClasses());
  }

  /** No script language has an engine: a script in a deployed model fails, and does nothing. */
  static final class NoScripts implements ScriptEngineResolver {

    @Override
    public void addScriptEngineFactory(ScriptEngineFactory factory) {
      throw new ProcessEngineException("Portcullis runs no scripts in process models");
    }

    @Override
    public ScriptEngineManager getScriptEngineManager() {
      // a manager of the bootstrap class loader: the JDK itself ships no script engine
      return new ScriptEngineManager(null);
    }

    @Override
    public ScriptEngine getScriptEngine(String language, boolean resolveFromCache) {
      return null;
    }
  }

  /**
   * No Java class is made for a model: {@code camunda:class} would build any delegate or listener on the
   * class path (with Spring's factory, wired with any bean), and the shell task runs programs.
   */
  static final class NoJavaClasses implements ArtifactFactory {

    @Override
    public <T> T getArtifact(Class<T> type) {
      throw new ProcessEngineException("Portcullis' process models name beans (camunda:delegateExpression), never Java classes: "
          + type.getName() + " is not made for a model");
    }
  }
}
