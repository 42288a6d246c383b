package io.portcullis.security;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.batch.RestartProcessInstancesBatchCmd;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractModificationCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractRestartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractSetJobsRetriesBatchCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractUpdateProcessInstancesSuspendStateCmd;
import org.camunda.bpm.engine.impl.cmd.ActivateJobCmd;
import org.camunda.bpm.engine.impl.cmd.ActivateProcessInstanceCmd;
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
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.migration.AbstractMigrationCmd;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The engine's own doors, whichever way a caller reaches them (the engine's REST API, Tasklist and
 * Cockpit, Portcullis' API): every command the engine runs passes here.
 * <ul>
 *   <li>Steering a process by hand (starting it at a chosen activity or with listeners or I/O mappings
 *       skipped, modifying, restarting or migrating instances, moving a job's due date or retries,
 *       suspending, triggering an execution) is for admins only: anyone else is refused, whatever their
 *       engine permissions, and the refusal is audited. An admin's use is audited, in the command's own
 *       transaction.
 *   <li>Every authorization the engine refuses is audited, with the caller's name.
 * </ul>
 * The engine's own work (the job executor, Portcullis' own calls without a caller) runs without an
 * authentication and passes.
 */
@Component
class EngineDoors extends AbstractProcessEnginePlugin {

  /** Commands that steer a process past its model; the engine offers no permission that says so. */
  private static final List<Class<?>> STEERING = List.of(StartProcessInstanceAtActivitiesCmd.class, AbstractModificationCmd.class,
      ModifyProcessInstanceCmd.class, ModifyProcessInstanceAsyncCmd.class, AbstractRestartProcessInstanceCmd.class,
      RestartProcessInstancesBatchCmd.class, AbstractMigrationCmd.class, SetJobDuedateCmd.class, RecalculateJobDuedateCmd.class,
      SetJobRetriesCmd.class, AbstractSetJobsRetriesBatchCmd.class, SuspendProcessInstanceCmd.class,
      ActivateProcessInstanceCmd.class, AbstractUpdateProcessInstancesSuspendStateCmd.class, SuspendJobCmd.class,
      ActivateJobCmd.class, SignalCmd.class, MessageEventReceivedCmd.class);

  private final RoleProperties roles;
  private final AuditTrail trail;

  EngineDoors(RoleProperties roles, @Lazy AuditTrail trail) {
    this.roles = roles;
    this.trail = trail;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    // one instance per chain: an interceptor knows the next one of its chain, so sharing one between
    // the REQUIRED and the REQUIRES_NEW chain would send every command down the second
    configuration.setCustomPreCommandInterceptorsTxRequired(
        append(configuration.getCustomPreCommandInterceptorsTxRequired(), new Guard(configuration)));
    configuration.setCustomPreCommandInterceptorsTxRequiresNew(
        append(configuration.getCustomPreCommandInterceptorsTxRequiresNew(), new Guard(configuration)));
    configuration.setCustomPostCommandInterceptorsTxRequired(
        append(configuration.getCustomPostCommandInterceptorsTxRequired(), new Audited(configuration)));
    configuration.setCustomPostCommandInterceptorsTxRequiresNew(
        append(configuration.getCustomPostCommandInterceptorsTxRequiresNew(), new Audited(configuration)));
  }

  private static List<CommandInterceptor> append(List<CommandInterceptor> existing, CommandInterceptor interceptor) {
    List<CommandInterceptor> all = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
    all.add(interceptor);
    return all;
  }

  static boolean steers(Command<?> command) {
    return STEERING.stream().anyMatch(type -> type.isInstance(command));
  }

  private boolean isAdmin(Authentication authentication) {
    return authentication.getGroupIds() != null && authentication.getGroupIds().contains(roles.adminGroup());
  }

  /** Before the command's transaction: refusals, which must outlive the command, are written on their own. */
  private final class Guard extends CommandInterceptor {

    private final ProcessEngineConfigurationImpl configuration;

    Guard(ProcessEngineConfigurationImpl configuration) {
      this.configuration = configuration;
    }

    @Override
    public <T> T execute(Command<T> command) {
      Authentication caller = configuration.getIdentityService().getCurrentAuthentication();
      boolean outermost = Context.getCommandContext() == null;
      if (caller != null && caller.getUserId() != null && steers(command) && !isAdmin(caller)) {
        refused(caller, command, "steering a process by hand is for admins only");
        throw new AuthorizationException("Only an administrator may start a process at a chosen activity, skip its listeners, "
            + "or modify, restart, migrate, suspend or signal its instances or jobs.");
      }
      try {
        return next.execute(command);
      } catch (AuthorizationException e) {
        if (outermost && caller != null && caller.getUserId() != null) {
          refused(caller, command, "engine authorization: " + e.getMessage());
        }
        throw e;
      }
    }

    private void refused(Authentication caller, Command<?> command, String why) {
      trail.recordOnItsOwn(AuditEvent.Draft.by(caller.getUserId(), AuditAction.ACTION_REFUSED)
          .detail("door", "engine")
          .detail("attempted", command.getClass().getSimpleName())
          .detail("why", why));
    }
  }

  /** Inside the command's transaction: an admin's steering is recorded only if the command commits. */
  private final class Audited extends CommandInterceptor {

    private final ProcessEngineConfigurationImpl configuration;

    Audited(ProcessEngineConfigurationImpl configuration) {
      this.configuration = configuration;
    }

    @Override
    public <T> T execute(Command<T> command) {
      T result = next.execute(command);
      Authentication caller = configuration.getIdentityService().getCurrentAuthentication();
      if (caller != null && caller.getUserId() != null && steers(command)) {
        trail.record(AuditEvent.Draft.by(caller.getUserId(), AuditAction.ENGINE_STEERED)
            .detail("operation", command.getClass().getSimpleName()));
      }
      return result;
    }
  }
}
