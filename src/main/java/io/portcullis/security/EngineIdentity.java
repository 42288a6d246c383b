package io.portcullis.security;

import io.portcullis.kernel.Caller;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Runs engine calls of the {@code /api} door as the caller, so that the process's own checks (who
 * asks, who decides) see the same person as the API did.
 *
 * <p>Without the engine's authorization checks: the door has checked already, and more strictly
 * than the engine would. Anyone may start a request (every directory user holds {@code
 * CREATE_INSTANCE}, {@link EngineAuthorizations}; the process's start listener decides who asks for
 * what); a decision is the current stage's approver group's alone ({@code SeparationOfDuties},
 * stricter than the task's candidate groups); an offboarding is resolved by an admin only, who
 * holds every engine permission. The checks cost four or five queries of {@code
 * ACT_RU_AUTHORIZATION} per call (issue 31). Every other door of the engine ({@code /engine-rest},
 * Tasklist, Cockpit) still runs with them.
 */
@NamedInterface("identity")
@Component
public class EngineIdentity {

  private final IdentityService identity;
  private final CommandExecutor commands;

  EngineIdentity(IdentityService identity, ProcessEngine engine) {
    this.identity = identity;
    this.commands =
        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
            .getCommandExecutorTxRequired();
  }

  public <T> T as(Caller caller, Supplier<T> work) {
    identity.setAuthentication(caller.username().value(), caller.groups());
    try {
      // the engine calls inside run in this command's context, and so without its checks
      return commands.execute(
          context -> {
            context.disableAuthorizationCheck();
            return work.get();
          });
    } finally {
      identity.clearAuthentication();
    }
  }
}
