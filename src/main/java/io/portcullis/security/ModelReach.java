package io.portcullis.security;

import java.util.Map;
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
 * What a deployed model may reach. A process owner, or anyone an admin's credentials leak to, can
 * deploy BPMN and DMN to the running engine (Camunda Modeler, {@code
 * /engine-rest/deployment/create}); without this, its expressions could call every bean of the
 * application (the connectors, the audit keys, the data source) and grant access with no request,
 * approval, expiry or audit. So a deployed model reaches what the product's own models ({@code
 * processes/}) reach, and nothing else:
 *
 * <ul>
 *   <li>expressions see only the beans named in {@link #BEANS} (the engine's bean whitelist), and
 *       call methods only on those beans and on plain values ({@link ModelExpressions});
 *   <li>scripts do not run: no language has an engine (a script task, listener or condition fails);
 *   <li>no Java class is instantiated for a model ({@code camunda:class}, the shell and mail
 *       tasks).
 * </ul>
 *
 * The product's models use none of the last two, and name only beans of {@link #BEANS}:
 * ModelReachTests reads every expression in {@code processes/} and in the earlier versions kept in
 * {@code src/test/resources/deployments}, and fails when a model names a bean not here, or when a
 * bean here is no longer named (so a model change can neither lose a bean silently nor leave one
 * open).
 */
@Component
class ModelReach extends AbstractProcessEnginePlugin {

  /**
   * The beans that {@code processes/*.bpmn} and {@code processes/*.dmn} name, exactly, each by its
   * class's name ({@code requestLifecycle} is {@code RequestLifecycle}), and the {@link
   * #FORMER_NAMES} that earlier versions of those models still name.
   */
  static final Set<String> BEANS =
      new TreeSet<>(
          Set.of(
              // processes/jit-access.bpmn and access-revocation.bpmn
              "approvalGuard",
              "approvalStages",
              "approvalTask",
              "approverBriefing",
              "checkAtStart",
              "checkStandingAccess",
              "escalateStage",
              "grantAccess",
              "requestLifecycle",
              "revokeAccess",
              "startAccessClock",
              "extendGrant",
              // processes/break-glass-review.bpmn
              "breakGlassReview",
              "escalateBreakGlassReview",
              "revokeBrokenGlass",
              // processes/access-review.bpmn and access-review-schedule.bpmn
              "closeReview",
              "escalateUnreviewed",
              "listHolders",
              "recordUnreviewed",
              "remindOwners",
              "reviewCampaign",
              "reviewGuard",
              "reviewTaskOpened",
              "revokeHolder",
              "startDueReviews",
              // processes/delegation.bpmn
              "offerDelegatedTasks",
              "withdrawDelegatedTasks",
              // processes/drift-sweep.bpmn
              "driftSweep",
              "sweepResource",
              // processes/offboarding.bpmn
              "cancelPendingRequests",
              "discoverHoldings",
              "endGrant",
              "findPerson",
              "findingsTask",
              "freezeAccount",
              "handBackTasks",
              "offboardingSaga",
              "planRevokes",
              "revokeStanding",
              "verifyNothingLeft",
              // processes/notification.bpmn and audit-checkpoint.bpmn
              "sendNotification",
              "pruneAuditTrail",
              "signAuditCheckpoint",
              // earlier versions of processes/jit-access.bpmn, whose instances still run: see
              // FORMER_NAMES
              "accessRequests"));

  /**
   * A bean's name in earlier versions of the product's models, before it was named for its class,
   * and the bean it names. An instance runs its own version's expressions to its end, and a request
   * started before an upgrade waits for its approvers and its expiry for days: without the old name
   * its next listener (a stage's opening, a denial's end) would fail and the request would stop
   * there. So the old name reaches the same bean, for those versions' expressions; it stays on the
   * whitelist while such instances may run. Each earlier version is kept in {@code
   * src/test/resources/deployments}, and JitAccessProcessTest runs an instance of it to its end.
   */
  static final Map<String, String> FORMER_NAMES = Map.of("accessRequests", "requestLifecycle");

  private final BeanFactory beanFactory;

  ModelReach(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    ModelBeans beans = new ModelBeans(BEANS, FORMER_NAMES, beanFactory);
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
   * No Java class is made for a model: {@code camunda:class} would build any delegate or listener
   * on the class path (with Spring's factory, wired with any bean), and the shell task runs
   * programs.
   */
  static final class NoJavaClasses implements ArtifactFactory {

    @Override
    public <T> T getArtifact(Class<T> type) {
      throw new ProcessEngineException(
          "Portcullis' process models name beans (camunda:delegateExpression), never Java classes: "
              + type.getName()
              + " is not made for a model");
    }
  }
}
