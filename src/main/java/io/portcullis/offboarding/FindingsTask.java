package io.portcullis.offboarding;

import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.security.RoleProperties;
import io.portcullis.security.SubmittedVariables;
import io.portcullis.web.FreeText;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * The admin's task of an offboarding that verification found something left in (or whose person the
 * directory no longer knows), called from {@code processes/offboarding.bpmn} as {@code
 * ${findingsTask.opened(task)}} and {@code ${findingsTask.resolved(task)}}. Whoever completes it,
 * through Tasklist or the engine's REST API, must be an admin and must say {@code retry} (look
 * again) or {@code close} (with a comment); the decision is stored, and the saga's gateway reads it
 * from there.
 */
@Component("findingsTask")
public class FindingsTask {

  static final String RETRY = "retry";
  static final String CLOSE = "close";

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final RoleProperties roles;

  FindingsTask(
      BoundOffboardings bound,
      OffboardingRepository offboardings,
      OffboardingEvents events,
      RoleProperties roles) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.events = events;
    this.roles = roles;
  }

  public void opened(DelegateTask task) {
    Offboarding o = bound.of(task.getProcessInstanceId(), OffboardingProcess.TASK_RESOLVE);
    int round = offboardings.round(o.id());
    int findings = offboardings.findingCount(o.id(), round);
    offboardings.markStatus(
        o.id(), List.of(OffboardingStatus.IN_PROGRESS), OffboardingStatus.NEEDS_ATTENTION);
    task.setName(
        "Offboarding of "
            + o.username()
            + ": "
            + findings
            + (findings == 1 ? " thing" : " things")
            + " left");
    task.setDescription(
        "The saga found what the report of offboarding "
            + o.id()
            + " lists (what verification found left, or a "
            + "person the directory no longer knows). Retry once it is fixed, or close the offboarding with a comment that says why what is "
            + "left may stay.");
    events.flagged(o, round, findings);
  }

  public void resolved(DelegateTask task) {
    Offboarding o = bound.of(task.getProcessInstanceId(), OffboardingProcess.TASK_RESOLVE);
    Authentication who = Context.getCommandContext().getAuthentication();
    if (who == null
        || who.getUserId() == null
        || who.getGroupIds() == null
        || !who.getGroupIds().contains(roles.adminGroup())) {
      String actor = who == null || who.getUserId() == null ? "anonymous" : who.getUserId();
      events.refused(
          o,
          actor,
          "resolve the offboarding's findings",
          "only an admin may retry or close an offboarding");
      throw new RefusedException("Only an admin may retry or close an offboarding.");
    }
    Map<String, Object> submitted =
        SubmittedVariables.ofCurrentCompletion()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        OffboardingProcess.RESOLUTION,
                        "must be submitted with the task's completion"));
    Object resolution = submitted.get(OffboardingProcess.RESOLUTION);
    if (!RETRY.equals(resolution) && !CLOSE.equals(resolution)) {
      throw new InvalidInputException(OffboardingProcess.RESOLUTION, "must be 'retry' or 'close'");
    }
    Object comment = submitted.get(OffboardingProcess.COMMENT);
    if (comment != null && !(comment instanceof String)) {
      throw new InvalidInputException(OffboardingProcess.COMMENT, "must be text");
    }
    String text =
        CLOSE.equals(resolution)
            ? FreeText.required(
                OffboardingProcess.COMMENT, (String) comment, Offboardings.MAX_REASON)
            : FreeText.optional(
                OffboardingProcess.COMMENT, (String) comment, Offboardings.MAX_REASON);
    int round = offboardings.round(o.id());
    offboardings.insertResolution(
        o.id(),
        round,
        new OffboardingRepository.Resolution(
            (String) resolution, who.getUserId(), text, Offboardings.now()));
    if (RETRY.equals(resolution)) {
      offboardings.markStatus(
          o.id(), List.of(OffboardingStatus.NEEDS_ATTENTION), OffboardingStatus.IN_PROGRESS);
      events.retried(o, who.getUserId(), text);
    }
  }
}
