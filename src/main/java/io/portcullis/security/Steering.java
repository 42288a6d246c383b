package io.portcullis.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.impl.interceptor.Command;

/**
 * An engine command that steers a process or a task past its model ({@link EngineDoors}): for
 * admins only, and audited.
 *
 * @param operation the command's class name, as the audit trail names it
 * @param taskId the task it steers, or null when it steers no task
 * @param details what it would change, for the audit trail (names and codes, never variables)
 */
record Steering(String operation, String taskId, Map<String, Object> details) {

  Steering {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  static Steering of(Command<?> command, String taskId, Map<String, Object> details) {
    return new Steering(command.getClass().getSimpleName(), taskId, details);
  }
}
