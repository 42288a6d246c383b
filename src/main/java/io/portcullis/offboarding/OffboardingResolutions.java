package io.portcullis.offboarding;

import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.OffboardingId;
import io.portcullis.kernel.RefusedException;
import io.portcullis.security.EngineIdentity;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;

/**
 * Resolves an offboarding that needs attention through the API: completes its admin task as the
 * caller, so the task's own guard ({@link FindingsTask}) decides for the API exactly as for
 * Tasklist.
 */
@Service
class OffboardingResolutions {

  private final Offboardings offboardings;
  private final OffboardingRepository repository;
  private final TaskService tasks;
  private final EngineIdentity engineIdentity;

  OffboardingResolutions(
      Offboardings offboardings,
      OffboardingRepository repository,
      TaskService tasks,
      EngineIdentity engineIdentity) {
    this.offboardings = offboardings;
    this.repository = repository;
    this.tasks = tasks;
    this.engineIdentity = engineIdentity;
  }

  void resolve(Caller caller, OffboardingId id, String resolution, String comment) {
    Offboarding o = offboardings.find(id).orElseThrow(() -> Offboardings.missing(id));
    if (!caller.is(Caller.Role.ADMIN)) {
      throw new RefusedException("Only an admin may retry or close an offboarding.");
    }
    if (o.status() != OffboardingStatus.NEEDS_ATTENTION) {
      throw new ConflictException(
          "The offboarding is "
              + o.status()
              + "; only one that NEEDS_ATTENTION can be retried or closed.");
    }
    Task task =
        tasks
            .createTaskQuery()
            .processInstanceId(repository.processInstanceOf(id))
            .taskDefinitionKey(OffboardingProcess.TASK_RESOLVE)
            .singleResult();
    if (task == null) {
      throw new ConflictException("The offboarding has no open task to resolve.");
    }
    Map<String, Object> variables = new HashMap<>();
    variables.put(OffboardingProcess.RESOLUTION, resolution);
    if (comment != null) {
      variables.put(OffboardingProcess.COMMENT, comment);
    }
    engineIdentity.as(
        caller,
        () -> {
          tasks.complete(task.getId(), variables);
          return null;
        });
  }
}
