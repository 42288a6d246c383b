package io.portcullis.security;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.value.SerializableValue;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.modulith.NamedInterface;

/**
 * The names of the variables that the caller passed with the task completion now running, whichever
 * door it came through (Portcullis' API, Tasklist's form submit, the engine's REST API): every door
 * ends in one of the engine's two completion commands (security owns the engine's doors; the task
 * guards of {@code approval} and {@code offboarding} read it). The engine keeps the variables in a
 * protected field of the command; a test fails if a new engine version renames it.
 */
@NamedInterface("doors")
public final class SubmittedVariables {

  private SubmittedVariables() {}

  /**
   * The variables, by name, as the caller passed them (a value may be a {@code TypedValue}); empty
   * when the completion came through a command this does not know: the caller then refuses it.
   */
  public static Optional<Map<String, Object>> ofCurrentCompletion() {
    var invocation = Context.getCommandInvocationContext();
    Command<?> command = invocation == null ? null : invocation.getCommand();
    if (command instanceof CompleteTaskCmd) {
      return Optional.of(asMap(read(command, CompleteTaskCmd.class, "variables")));
    }
    if (command instanceof SubmitTaskFormCmd) {
      return Optional.of(asMap(read(command, SubmitTaskFormCmd.class, "properties")));
    }
    return Optional.empty();
  }

  /**
   * A typed value as its value; one given serialized (an object as JSON, say) stays the typed
   * value, never read here, and so is no text, no decision and no duration to whoever checks it.
   */
  private static Map<String, Object> asMap(Object variables) {
    Map<String, Object> submitted = new HashMap<>();
    if (variables instanceof VariableMap typedMap) {
      // read typed: the map's own get() deserializes, and fails on an object given serialized
      typedMap.keySet().forEach(name -> submitted.put(name, plain(typedMap.getValueTyped(name))));
    } else if (variables instanceof Map<?, ?> map) {
      map.forEach((name, value) -> submitted.put(String.valueOf(name), plain(value)));
    }
    return submitted;
  }

  private static Object plain(Object value) {
    if (value instanceof SerializableValue serialized && !serialized.isDeserialized()) {
      return serialized;
    }
    return value instanceof TypedValue typed ? typed.getValue() : value;
  }

  private static Object read(Object command, Class<?> type, String field) {
    try {
      Field f = type.getDeclaredField(field);
      f.setAccessible(true);
      return f.get(command);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot read the variables of " + type.getSimpleName() + " (engine changed?)", e);
    }
  }
}
