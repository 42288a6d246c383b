package io.portcullis.offboarding;

import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;

/**
 * Whether the saga step running now is its job's last attempt, so that a system that is still down
 * after every retry becomes a finding for the admin (the findings task) instead of an incident that
 * holds every other system's part of the saga up. A step run outside a job (never, in the saga) is
 * not a last attempt.
 */
final class LastAttempt {

  private LastAttempt() {}

  static boolean now() {
    CommandContext command = Context.getCommandContext();
    JobEntity job = command == null ? null : command.getCurrentJob();
    // the job's retries count this attempt: at 1, a failure now would leave none and open an
    // incident
    return job != null && job.getRetries() <= 1;
  }
}
