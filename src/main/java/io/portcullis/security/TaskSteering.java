package io.portcullis.security;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.camunda.bpm.engine.impl.cmd.AbstractAddIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.ClaimTaskCmd;
import org.camunda.bpm.engine.impl.cmd.DelegateTaskCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteIdentityLinkCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskEscalationCmd;
import org.camunda.bpm.engine.impl.cmd.ResolveTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SaveTaskCmd;
import org.camunda.bpm.engine.impl.cmd.SetTaskDescriptionCmd;
import org.camunda.bpm.engine.impl.cmd.SetTaskNameCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.task.IdentityLinkType;

/**
 * Which task commands move or end a task past its model. A task is ended by its model (the approval
 * guard decides it, a timer lapses it) and offered by Portcullis (its candidate groups, its name);
 * a person works on it only for themselves. So these steer, whatever the engine's permissions would
 * allow:
 *
 * <ul>
 *   <li>throwing a BPMN error or escalation at a task (with the lapse's code the request would read
 *       as lapsed; with a code nothing catches, the task would end and the request wait for
 *       nothing);
 *   <li>claiming, assigning or unassigning it for anyone but oneself, and taking it from someone
 *       who holds it;
 *   <li>setting its owner, delegating it and resolving a delegation;
 *   <li>adding or removing its candidates, and renaming or describing it anew.
 * </ul>
 *
 * Completing it is the approval guard's (approval/ApprovalGuard); due dates and priorities are a
 * worker's own business.
 */
final class TaskSteering {

  private TaskSteering() {}

  /**
   * What the command would do to a task, if it steers one; empty for every other command.
   *
   * @param caller the canonical name of the person the engine runs the command for
   */
  static Optional<Steering> of(Command<?> command, String caller, CommandContext context) {
    if (command instanceof HandleTaskBpmnErrorCmd) {
      return steers(command, "taskId", "errorCode", field(command, "errorCode"));
    }
    if (command instanceof HandleTaskEscalationCmd) {
      return steers(command, "taskId", "escalationCode", field(command, "escalationCode"));
    }
    if (command instanceof DelegateTaskCmd) {
      return steers(command, "taskId", "userId", field(command, "userId"));
    }
    if (command instanceof ResolveTaskCmd) {
      return steers(command, "taskId", null, null);
    }
    if (command instanceof ClaimTaskCmd) {
      return assigns(command, "taskId", (String) field(command, "userId"), caller, context);
    }
    if (command instanceof AbstractAddIdentityLinkCmd || command instanceof DeleteIdentityLinkCmd) {
      boolean adds = command instanceof AbstractAddIdentityLinkCmd;
      String type = (String) field(command, "type");
      if (IdentityLinkType.ASSIGNEE.equals(type)) {
        // removing the assignee link gives the task back, whichever user the caller names
        return assigns(
            command, "taskId", adds ? (String) field(command, "userId") : null, caller, context);
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("type", type);
      details.put("userId", field(command, "userId"));
      details.put("groupId", field(command, "groupId"));
      details.put("change", adds ? "added" : "removed");
      return Optional.of(Steering.of(command, (String) field(command, "taskId"), details));
    }
    if (command instanceof SetTaskNameCmd || command instanceof SetTaskDescriptionCmd) {
      return steers(command, "taskId", null, null);
    }
    if (command instanceof SaveTaskCmd) {
      return saves(command, caller, context);
    }
    return Optional.empty();
  }

  private static Optional<Steering> steers(
      Command<?> command, String taskField, String detail, Object value) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (detail != null) {
      details.put(detail, value);
    }
    return Optional.of(Steering.of(command, (String) field(command, taskField), details));
  }

  /**
   * A person may take a task that nobody holds and give back one they hold; nothing else. {@code
   * user} null is giving back.
   */
  private static Optional<Steering> assigns(
      Command<?> command, String taskField, String user, String caller, CommandContext context) {
    String taskId = (String) field(command, taskField);
    String holder = assigneeOf(taskId, context);
    boolean forOneself =
        user == null
            ? holder == null || holder.equals(caller)
            : user.equals(caller) && (holder == null || holder.equals(caller));
    if (forOneself) {
      return Optional.empty();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("userId", user);
    details.put("heldBy", holder);
    return Optional.of(Steering.of(command, taskId, details));
  }

  /** Saving a task may change its dates and priority; who holds, owns or names it only as above. */
  private static Optional<Steering> saves(
      Command<?> command, String caller, CommandContext context) {
    TaskEntity changed = (TaskEntity) field(command, "task");
    if (changed == null || changed.getRevision() == 0) {
      // a new task: the engine's CREATE permission decides, and no process waits on it
      return Optional.empty();
    }
    TaskEntity stored = context.getTaskManager().findTaskById(changed.getId());
    if (stored == null) {
      return Optional.empty();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    compare(details, "owner", stored.getOwner(), changed.getOwner());
    compare(
        details,
        "delegationState",
        stored.getDelegationStateString(),
        changed.getDelegationStateString());
    compare(details, "name", stored.getName(), changed.getName());
    compare(details, "description", stored.getDescription(), changed.getDescription());
    compare(details, "parentTaskId", stored.getParentTaskId(), changed.getParentTaskId());
    if (!Objects.equals(stored.getAssignee(), changed.getAssignee())) {
      String to = changed.getAssignee();
      String held = stored.getAssignee();
      boolean forOneself = to == null ? held.equals(caller) : to.equals(caller) && held == null;
      if (!forOneself) {
        details.put("assignee", to);
      }
    }
    return details.isEmpty()
        ? Optional.empty()
        : Optional.of(Steering.of(command, changed.getId(), details));
  }

  private static void compare(
      Map<String, Object> details, String name, String stored, String changed) {
    if (!Objects.equals(stored, changed)) {
      details.put(name, changed);
    }
  }

  private static String assigneeOf(String taskId, CommandContext context) {
    TaskEntity task = taskId == null ? null : context.getTaskManager().findTaskById(taskId);
    return task == null ? null : task.getAssignee();
  }

  /**
   * A field of an engine command: the commands keep their arguments in protected fields and offer
   * no getter. A field that a new engine version renamed fails the command, never lets it through.
   */
  static Object field(Object command, String name) {
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
            + ": EngineDoors must be updated for this engine");
  }
}
