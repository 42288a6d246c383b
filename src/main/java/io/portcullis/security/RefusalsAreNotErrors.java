package io.portcullis.security;

import io.portcullis.kernel.RuleAnswer;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandContextFactory;
import org.springframework.stereotype.Component;

/**
 * A refusal is not an error. The engine logs the exception that ends a command at ERROR, with a
 * stack trace of some 200 lines ({@code org.camunda.bpm.engine.context}, ENGINE-16004), unless it
 * is one of its own kinds of caller's mistake (a bad request, an authorization, a lost optimistic
 * lock), which it logs at DEBUG. A rule's answer ({@link RuleAnswer}: input a rule refuses, a
 * refused action, a conflict) thrown by a process step, and a message that no instance waits for,
 * are the caller's mistake too: every door answers them with a 4xx and the rule in words, and
 * writes the one INFO line an operator reads ({@code web.ProblemDetailsAdvice} for {@code /api},
 * {@link EngineRestErrors} for the engine's REST API and the webapps). So the engine logs them at
 * DEBUG like its own. Anything else still ends a command at ERROR with its trace; a failing job is
 * logged by the job executor and becomes an incident as before.
 */
@Component
class RefusalsAreNotErrors extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    CommandContextFactory factory =
        new CommandContextFactory() {
          @Override
          public CommandContext createCommandContext() {
            return new CommandContext(processEngineConfiguration) {
              @Override
              protected boolean shouldLogFine(Throwable exception) {
                return super.shouldLogFine(exception) || isRefusal(exception);
              }
            };
          }
        };
    // the engine hands its configuration only to a factory it made itself
    factory.setProcessEngineConfiguration(configuration);
    configuration.setCommandContextFactory(factory);
  }

  /** A rule's answer anywhere in the causes, or a correlation that found no instance waiting. */
  static boolean isRefusal(Throwable exception) {
    if (RuleAnswer.in(exception)) {
      return true;
    }
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof MismatchingMessageCorrelationException) {
        return true;
      }
    }
    return false;
  }
}
