package io.portcullis.approval;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;

/**
 * The names of the variables that the caller passed with the task completion now running, whichever
 * door it came through (Portcullis' API, Tasklist's form submit, the engine's REST API): every door ends
 * in one of the engine's two completion commands. The engine keeps the variables in a protected field of
 * the command; a test fails if a new engine version renames it.
 */
final class SubmittedVariables {

  private SubmittedVariables() {}

  /** Empty when the completion came through a command this does not know: the caller then refuses it. */
  static Optional<Set<String>> ofCurrentCompletion() {
    var invocation = Context.getCommandInvocationContext();
    Command<?> command = invocation == null ? null : invocation.getCommand();
    if (command instanceof CompleteTaskCmd) {
      return Optional.of(names(read(command, CompleteTaskCmd.class, "variables")));
    }
    if (command instanceof SubmitTaskFormCmd) {
      return Optional.of(names(read(command, SubmitTaskFormCmd.class, "properties")));
    }
    return Optional.empty();
  }

  private static Set<String> names(Object variables) {
    return variables instanceof Map<?, ?> map ? map.keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet())
        : Set.of();
  }

  private static Object read(Object command, Class<?> type, String field) {
    try {
      Field f = type.getDeclaredField(field);
      f.setAccessible(true);
      return f.get(command);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the variables of " + type.getSimpleName() + " (engine changed?)", e);
    }
  }
}
