package io.portcullis.audit;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DeleteDeploymentCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteProcessDefinitionsByIdsCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteProcessDefinitionsByKeyCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.persistence.deploy.Deployer;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ResourceEntity;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * A new deployment of processes, decisions or forms (at start-up, from Camunda Modeler, or through
 * the engine's REST API) changes who approves what, so it is an audit event, written in the
 * deployment's own transaction: who, which deployment, each resource's name and the SHA-256 of its
 * bytes (so the trail says exactly which model ran, never its contents). Deployments the engine
 * only reloads into its cache are not new and not recorded. Deleting a deployment or process
 * definitions, through any door (with or without cascading to their instances), is recorded the
 * same way, in the deleting command's transaction, with what was deleted.
 */
@Component
class DeploymentsAudited extends AbstractProcessEnginePlugin {

  /**
   * Room for the rest of an event's details; a deployment of more resources records one digest over
   * them all.
   */
  private static final int MAX_DIGESTS_CHARS = AuditEvent.Draft.MAX_DETAILS_CHARS - 2000;

  private final AuditTrail trail;

  DeploymentsAudited(@Lazy AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<Deployer> deployers =
        configuration.getCustomPostDeployers() == null
            ? new ArrayList<>()
            : new ArrayList<>(configuration.getCustomPostDeployers());
    deployers.add(this::deployed);
    configuration.setCustomPostDeployers(deployers);
    // one instance per chain: an interceptor knows the next one of its chain
    configuration.setCustomPostCommandInterceptorsTxRequired(
        append(configuration.getCustomPostCommandInterceptorsTxRequired(), new Deletions()));
    configuration.setCustomPostCommandInterceptorsTxRequiresNew(
        append(configuration.getCustomPostCommandInterceptorsTxRequiresNew(), new Deletions()));
  }

  private static List<CommandInterceptor> append(
      List<CommandInterceptor> existing, CommandInterceptor interceptor) {
    List<CommandInterceptor> all = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
    all.add(interceptor);
    return all;
  }

  private void deployed(DeploymentEntity deployment) {
    if (!deployment.isNew()) {
      return;
    }
    trail.record(
        digests(
            AuditEvent.Draft.by(actor(Context.getCommandContext()), AuditAction.DEPLOYMENT_CREATED)
                .detail("deploymentId", deployment.getId())
                .detail("name", deployment.getName())
                .detail("source", deployment.getSource()),
            deployment.getResources().values()));
  }

  /** Each resource's name, and the SHA-256 of its bytes as hex. */
  private static AuditEvent.Draft digests(
      AuditEvent.Draft draft, Collection<ResourceEntity> resources) {
    Map<String, String> sha256 = new TreeMap<>();
    for (ResourceEntity resource : resources) {
      sha256.put(resource.getName(), sha256(resource.getBytes()));
    }
    AuditEvent.Draft named = draft.detail("resources", String.join(", ", sha256.keySet()));
    int length =
        sha256.entrySet().stream()
            .mapToInt(e -> e.getKey().length() + e.getValue().length() + 6)
            .sum();
    if (length <= MAX_DIGESTS_CHARS) {
      return named.detail("sha256", sha256);
    }
    StringBuilder all = new StringBuilder();
    sha256.forEach((name, digest) -> all.append(digest).append("  ").append(name).append('\n'));
    return named
        .detail("resourceCount", sha256.size())
        .detail("sha256OfSha256sums", sha256(all.toString().getBytes(StandardCharsets.UTF_8)));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0] : bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static String actor(CommandContext context) {
    String user = context == null ? null : context.getAuthenticatedUserId();
    return user == null ? AuditEvent.SYSTEM : user;
  }

  /**
   * Inside the deleting command's context: what it will delete is read before it runs, and recorded
   * if it succeeds; a refused or failed deletion rolls back and records nothing here.
   */
  private final class Deletions extends CommandInterceptor {

    @Override
    public <T> T execute(Command<T> command) {
      if (!(command instanceof DeleteDeploymentCmd
          || command instanceof DeleteProcessDefinitionsByIdsCmd
          || command instanceof DeleteProcessDefinitionsByKeyCmd)) {
        return next.execute(command);
      }
      CommandContext context = Context.getCommandContext();
      AuditEvent.Draft event =
          command instanceof DeleteDeploymentCmd
              ? deploymentDeletion(command, context)
              : definitionsDeletion(command, context);
      T result = next.execute(command);
      if (event != null) {
        trail.record(event);
      }
      return result;
    }

    private AuditEvent.Draft deploymentDeletion(Command<?> command, CommandContext context) {
      String id = (String) argument(command, "deploymentId");
      DeploymentEntity deployment =
          id == null ? null : context.getDeploymentManager().findDeploymentById(id);
      if (deployment == null) {
        return null;
      }
      return digests(
          AuditEvent.Draft.by(actor(context), AuditAction.DEPLOYMENT_DELETED)
              .detail("deploymentId", id)
              .detail("name", deployment.getName())
              .detail("source", deployment.getSource())
              .detail("cascade", argument(command, "cascade"))
              .detail(
                  "processDefinitions",
                  names(
                      context
                          .getProcessDefinitionManager()
                          .findProcessDefinitionsByDeploymentId(id))),
          context.getResourceManager().findResourcesByDeploymentId(id));
    }

    @SuppressWarnings("unchecked")
    private AuditEvent.Draft definitionsDeletion(Command<?> command, CommandContext context) {
      List<ProcessDefinition> definitions;
      boolean cascade;
      if (command instanceof DeleteProcessDefinitionsByIdsCmd) {
        definitions =
            context
                .getProcessDefinitionManager()
                .findDefinitionsByIds((Set<String>) argument(command, "processDefinitionIds"));
        cascade = (Boolean) argument(command, "cascadeToInstances");
      } else {
        definitions =
            context
                .getProcessDefinitionManager()
                .findDefinitionsByKeyAndTenantId(
                    (String) argument(command, "processDefinitionKey"),
                    (String) argument(command, "tenantId"),
                    (Boolean) argument(command, "isTenantIdSet"));
        cascade = (Boolean) argument(command, "cascade");
      }
      if (definitions.isEmpty()) {
        return null;
      }
      return AuditEvent.Draft.by(actor(context), AuditAction.PROCESS_DEFINITION_DELETED)
          .detail("processDefinitions", names(definitions))
          .detail(
              "processDefinitionIds",
              String.join(
                  ", ", new TreeSet<>(definitions.stream().map(ProcessDefinition::getId).toList())))
          .detail(
              "deploymentIds",
              String.join(
                  ", ",
                  new TreeSet<>(
                      definitions.stream().map(ProcessDefinition::getDeploymentId).toList())))
          .detail("cascade", cascade);
    }

    private static String names(List<ProcessDefinition> definitions) {
      return String.join(
          ", ",
          new TreeSet<>(definitions.stream().map(d -> d.getKey() + ":" + d.getVersion()).toList()));
    }
  }

  /**
   * An argument of an engine command: the commands keep them in fields and offer no getter. A field
   * that a new engine version renamed fails the deletion, so it never goes unrecorded.
   */
  private static Object argument(Object command, String name) {
    for (Class<?> type = command.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(command);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(
            "cannot read " + name + " of " + command.getClass().getName(), e);
      }
    }
    throw new IllegalStateException(
        command.getClass().getName()
            + " has no field "
            + name
            + ": DeploymentsAudited must be updated");
  }
}
