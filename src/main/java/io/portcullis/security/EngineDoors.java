package io.portcullis.security;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.ActivityStatisticsQueryImpl;
import org.camunda.bpm.engine.impl.DeploymentStatisticsQueryImpl;
import org.camunda.bpm.engine.impl.HistoricActivityStatisticsQueryImpl;
import org.camunda.bpm.engine.impl.HistoricCaseActivityStatisticsQueryImpl;
import org.camunda.bpm.engine.impl.HistoricDecisionInstanceStatisticsQueryImpl;
import org.camunda.bpm.engine.impl.HistoricProcessInstanceReportImpl;
import org.camunda.bpm.engine.impl.HistoricTaskInstanceReportImpl;
import org.camunda.bpm.engine.impl.ProcessDefinitionStatisticsQueryImpl;
import org.camunda.bpm.engine.impl.TaskReportImpl;
import org.camunda.bpm.engine.impl.batch.BatchStatisticsQueryImpl;
import org.camunda.bpm.engine.impl.batch.RestartProcessInstancesBatchCmd;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractModificationCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractRestartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractSetJobsRetriesBatchCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractUpdateProcessInstancesSuspendStateCmd;
import org.camunda.bpm.engine.impl.cmd.ActivateJobCmd;
import org.camunda.bpm.engine.impl.cmd.ActivateProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.GetUniqueTaskWorkerCountCmd;
import org.camunda.bpm.engine.impl.cmd.MessageEventReceivedCmd;
import org.camunda.bpm.engine.impl.cmd.ModifyProcessInstanceAsyncCmd;
import org.camunda.bpm.engine.impl.cmd.ModifyProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.RecalculateJobDuedateCmd;
import org.camunda.bpm.engine.impl.cmd.SetJobDuedateCmd;
import org.camunda.bpm.engine.impl.cmd.SetJobRetriesCmd;
import org.camunda.bpm.engine.impl.cmd.SignalCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceAtActivitiesCmd;
import org.camunda.bpm.engine.impl.cmd.SuspendJobCmd;
import org.camunda.bpm.engine.impl.cmd.SuspendProcessInstanceCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.metrics.MetricsQueryImpl;
import org.camunda.bpm.engine.impl.migration.AbstractMigrationCmd;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The engine's own doors, whichever way a caller reaches them (the engine's REST API, Tasklist's
 * and Cockpit's engine API, Portcullis' API, the Java API): every command the engine runs passes
 * here, and this is the one place that says who may steer.
 *
 * <ul>
 *   <li>Steering a process by hand (starting it at a chosen activity or with listeners or I/O
 *       mappings skipped, modifying, restarting or migrating instances, moving a job's due date or
 *       retries, suspending, triggering an execution) is for admins only.
 *   <li>So is steering a task ({@link TaskSteering}): throwing a BPMN error or escalation at it,
 *       claiming or assigning it for someone else, setting its owner, changing its candidates,
 *       delegating.
 *   <li>Anyone else is refused, whatever their engine permissions, and the refusal is audited on
 *       its own; an admin's steering is audited in the command's own transaction, so only if it
 *       commits.
 *   <li>Statistics, reports and metrics, which count every person's instances, are for admins only
 *       ({@link #ADMIN_READS}).
 *   <li>Every authorization the engine refuses is audited, with the caller's name.
 * </ul>
 *
 * The engine's own work (the job executor, Portcullis' own calls without a caller) runs without an
 * authentication and passes.
 */
@Component
class EngineDoors extends AbstractProcessEnginePlugin {

  /** Commands that steer a process past its model; the engine offers no permission that says so. */
  private static final List<Class<?>> STEERING =
      List.of(
          StartProcessInstanceAtActivitiesCmd.class,
          AbstractModificationCmd.class,
          ModifyProcessInstanceCmd.class,
          ModifyProcessInstanceAsyncCmd.class,
          AbstractRestartProcessInstanceCmd.class,
          RestartProcessInstancesBatchCmd.class,
          AbstractMigrationCmd.class,
          SetJobDuedateCmd.class,
          RecalculateJobDuedateCmd.class,
          SetJobRetriesCmd.class,
          AbstractSetJobsRetriesBatchCmd.class,
          SuspendProcessInstanceCmd.class,
          ActivateProcessInstanceCmd.class,
          AbstractUpdateProcessInstancesSuspendStateCmd.class,
          SuspendJobCmd.class,
          ActivateJobCmd.class,
          SignalCmd.class,
          MessageEventReceivedCmd.class);

  /**
   * Reads that count or report across every person's instances (statistics of definitions,
   * activities, deployments and batches, task and duration reports, metrics): the engine checks
   * only that the caller may read the process definition, which every user may. Counts that the
   * engine filters by what the caller may read (process-instance/count and the like) stay open.
   */
  private static final List<Class<?>> ADMIN_READS =
      List.of(
          ProcessDefinitionStatisticsQueryImpl.class,
          ActivityStatisticsQueryImpl.class,
          DeploymentStatisticsQueryImpl.class,
          BatchStatisticsQueryImpl.class,
          HistoricActivityStatisticsQueryImpl.class,
          HistoricCaseActivityStatisticsQueryImpl.class,
          HistoricDecisionInstanceStatisticsQueryImpl.class,
          TaskReportImpl.class,
          HistoricTaskInstanceReportImpl.class,
          HistoricProcessInstanceReportImpl.class,
          MetricsQueryImpl.class,
          GetUniqueTaskWorkerCountCmd.class);

  private final RoleProperties roles;
  private final AuditTrail trail;

  EngineDoors(RoleProperties roles, @Lazy AuditTrail trail) {
    this.roles = roles;
    this.trail = trail;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    // one instance per chain: an interceptor knows the next one of its chain, so sharing one
    // between the REQUIRED and the REQUIRES_NEW chain would send every command down the second
    configuration.setCustomPreCommandInterceptorsTxRequired(
        append(
            configuration.getCustomPreCommandInterceptorsTxRequired(),
            new Refusals(configuration)));
    configuration.setCustomPreCommandInterceptorsTxRequiresNew(
        append(
            configuration.getCustomPreCommandInterceptorsTxRequiresNew(),
            new Refusals(configuration)));
    configuration.setCustomPostCommandInterceptorsTxRequired(
        append(
            configuration.getCustomPostCommandInterceptorsTxRequired(), new Guard(configuration)));
    configuration.setCustomPostCommandInterceptorsTxRequiresNew(
        append(
            configuration.getCustomPostCommandInterceptorsTxRequiresNew(),
            new Guard(configuration)));
  }

  private static List<CommandInterceptor> append(
      List<CommandInterceptor> existing, CommandInterceptor interceptor) {
    List<CommandInterceptor> all = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
    all.add(interceptor);
    return all;
  }

  /**
   * What the command steers, if it steers anything; read inside its command context, where a task's
   * holder is what the command will see.
   */
  static Optional<Steering> steering(Command<?> command, String caller, CommandContext context) {
    if (STEERING.stream().anyMatch(type -> type.isInstance(command))) {
      return Optional.of(Steering.of(command, null, Map.of()));
    }
    return TaskSteering.of(command, caller, context);
  }

  /**
   * Whether the command reads across every person's instances ({@link #ADMIN_READS}); a query's own
   * commands count as the query.
   */
  static boolean readsAcrossInstances(Command<?> command) {
    Class<?> type = command.getClass();
    Class<?> enclosing = type.getEnclosingClass();
    return ADMIN_READS.stream()
        .anyMatch(
            read ->
                read.isAssignableFrom(type)
                    || enclosing != null && read.isAssignableFrom(enclosing));
  }

  private boolean isAdmin(Authentication authentication) {
    return authentication.getGroupIds() != null
        && authentication.getGroupIds().contains(roles.adminGroup());
  }

  private static boolean isPerson(Authentication caller) {
    return caller != null && caller.getUserId() != null;
  }

  /**
   * Around the whole command, outside its transaction: an authorization the engine refused is
   * audited on its own, since the command's transaction rolls back.
   */
  private final class Refusals extends CommandInterceptor {

    private final ProcessEngineConfigurationImpl configuration;

    Refusals(ProcessEngineConfigurationImpl configuration) {
      this.configuration = configuration;
    }

    @Override
    public <T> T execute(Command<T> command) {
      Authentication caller = configuration.getIdentityService().getCurrentAuthentication();
      boolean outermost = Context.getCommandContext() == null;
      try {
        return next.execute(command);
      } catch (AdminsOnlyException e) {
        throw e;
      } catch (AuthorizationException e) {
        if (outermost && isPerson(caller)) {
          trail.recordOnItsOwn(
              refusal(
                  caller,
                  command.getClass().getSimpleName(),
                  "engine authorization: " + e.getMessage()));
        }
        throw e;
      }
    }
  }

  /**
   * Inside the command's context, before it runs: steering by anyone but an admin is refused (the
   * refusal recorded on its own, as the command rolls back); an admin's is recorded with the
   * command, only if it commits.
   */
  private final class Guard extends CommandInterceptor {

    private final ProcessEngineConfigurationImpl configuration;

    Guard(ProcessEngineConfigurationImpl configuration) {
      this.configuration = configuration;
    }

    @Override
    public <T> T execute(Command<T> command) {
      Authentication caller = configuration.getIdentityService().getCurrentAuthentication();
      if (!isPerson(caller)) {
        return next.execute(command);
      }
      if (readsAcrossInstances(command) && !isAdmin(caller)) {
        trail.recordOnItsOwn(
            refusal(
                caller,
                command.getClass().getSimpleName(),
                "statistics, reports and metrics count every person's instances; they are for admins only"));
        throw new AdminsOnlyException(
            "Statistics, reports and metrics count every person's instances: they are for administrators. "
                + "Your own requests and tasks are at /api/access-requests and /api/approvals.");
      }
      CommandContext context = Context.getCommandContext();
      Optional<Steering> steering = steering(command, caller.getUserId(), context);
      if (steering.isPresent() && !isAdmin(caller)) {
        Steering refused = steering.get();
        String why =
            refused.taskId() == null
                ? "steering a process by hand is for admins only"
                : "only Portcullis ends or moves an approval task; steering a task is for admins only";
        trail.recordOnItsOwn(about(refusal(caller, refused.operation(), why), refused, context));
        throw new AdminsOnlyException(
            refused.taskId() == null
                ? "Only an administrator may start a process at a chosen activity, skip its listeners, or modify, restart, migrate, "
                    + "suspend or signal its instances or jobs."
                : "Only an administrator may throw an error or escalation at a task, claim or assign it for someone else, "
                    + "set its owner, change its candidates or delegate it. Claim it for yourself and decide it.");
      }
      // what it steers is read before it runs: a task that an error ends is gone after
      Optional<AuditEvent.Draft> steered =
          steering.map(
              s ->
                  about(
                      AuditEvent.Draft.by(caller.getUserId(), AuditAction.ENGINE_STEERED)
                          .detail("operation", s.operation()),
                      s,
                      context));
      T result = next.execute(command);
      steered.ifPresent(trail::record);
      return result;
    }
  }

  private static AuditEvent.Draft refusal(Authentication caller, String attempted, String why) {
    return AuditEvent.Draft.by(caller.getUserId(), AuditAction.ACTION_REFUSED)
        .detail("door", "engine")
        .detail("attempted", attempted)
        .detail("why", why);
  }

  /** The task a steering is about, and its process instance, in an audit record. */
  private static AuditEvent.Draft about(
      AuditEvent.Draft draft, Steering steering, CommandContext context) {
    if (steering.taskId() == null) {
      return draft;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("taskId", steering.taskId());
    steering
        .details()
        .forEach(
            (name, value) -> {
              if (value != null) {
                details.put(name, value);
              }
            });
    TaskEntity task = context.getTaskManager().findTaskById(steering.taskId());
    String instance = task == null ? null : task.getProcessInstanceId();
    return draft.details(details).request((String) null, instance);
  }

  /**
   * Steering or a read across instances refused here, answered 403 at every door with this message
   * ({@link EngineRestErrors}); an AuthorizationException for Java callers, like the engine's own
   * refusals.
   */
  static final class AdminsOnlyException extends AuthorizationException {
    AdminsOnlyException(String message) {
      super(message);
    }
  }
}
