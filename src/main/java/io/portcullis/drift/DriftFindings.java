package io.portcullis.drift;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.notification.Notice;
import io.portcullis.notification.Notifications;
import io.portcullis.security.RoleProperties;
import io.portcullis.security.SubmittedVariables;
import io.portcullis.web.FreeText;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * A reported finding ({@code on-drift: report}) is one admin task in Tasklist ({@code
 * processes/drift-finding.bpmn}) and one notice to the admins, per resource and person: a finding
 * the next sweeps see again, unchanged, while its task is open adds nothing (no pile of tasks every
 * interval); once an admin closed it (removed the member by hand, or added them to the standing
 * list, or decided to look again later), a finding that is still there is a new task. One task per
 * finding, not per sweep, because each is settled on its own, by its own change, and a sweep's task
 * would say the same thing every interval until every finding in it is settled.
 */
@Component
class DriftFindings {

  static final int MAX_COMMENT = 1000;
  static final String NOTICE_KIND = "access.drift-found";

  private final RuntimeService runtime;
  private final Notifications notifications;
  private final RoleProperties roles;
  private final AuditTrail audit;

  DriftFindings(
      @Lazy RuntimeService runtime,
      Notifications notifications,
      RoleProperties roles,
      AuditTrail audit) {
    this.runtime = runtime;
    this.notifications = notifications;
    this.roles = roles;
    this.audit = audit;
  }

  /**
   * The admins' task for this finding, and their notice, unless its task is open already.
   *
   * @return whether a task was opened
   */
  boolean raise(ResourceId resource, Username person, String sweep) {
    String key = key(resource, person);
    if (runtime
            .createProcessInstanceQuery()
            .processDefinitionKey(DriftProcess.FINDING_KEY)
            .processInstanceBusinessKey(key)
            .count()
        > 0) {
      return false;
    }
    runtime.startProcessInstanceByKey(
        DriftProcess.FINDING_KEY,
        key,
        Map.of(
            DriftProcess.RESOURCE, resource.value(),
            DriftProcess.PERSON, person.value(),
            DriftProcess.SWEEP, sweep));
    notifications.send(
        () ->
            Notice.of(
                    NOTICE_KIND,
                    null,
                    Notice.Recipients.groups(roles.adminGroup()),
                    person + " holds " + resource + " outside Portcullis (drift)")
                .fact("person", person)
                .fact("resource", resource)
                .fact("sweep", sweep));
    return true;
  }

  String adminGroup() {
    return roles.adminGroup();
  }

  /** The task's name, from the instance's business key, which only {@link #raise} sets. */
  void opened(DelegateTask task) {
    String[] finding = finding(task);
    task.setName("Drift: " + finding[1] + " holds " + finding[0] + " outside Portcullis");
    task.setDescription(
        "A drift sweep found "
            + finding[1]
            + " in "
            + finding[0]
            + " with neither a live grant nor the resource's standing list (on-drift: report)."
            + " Remove the membership, or add the person to the resource's standing list, then"
            + " close this task with a comment that says what you did.");
  }

  /**
   * Only an admin closes the task, through Tasklist or the engine's REST API; the close and its
   * comment are audited.
   */
  void closed(DelegateTask task) {
    String[] finding = finding(task);
    Authentication who = Context.getCommandContext().getAuthentication();
    if (who == null
        || who.getUserId() == null
        || who.getGroupIds() == null
        || !who.getGroupIds().contains(roles.adminGroup())) {
      // kept whatever happens to the refused completion's own transaction
      audit.recordOnItsOwn(
          AuditEvent.Draft.by(
                  who == null || who.getUserId() == null ? "anonymous" : who.getUserId(),
                  AuditAction.ACTION_REFUSED)
              .subject(Username.of(finding[1]))
              .resource(ResourceId.of(finding[0]))
              .detail("attempted", "close a drift finding's task")
              .detail("why", "only an admin may close it"));
      throw new RefusedException("Only an admin may close a drift finding's task.");
    }
    Object comment =
        SubmittedVariables.ofCurrentCompletion().map(v -> v.get(DriftProcess.COMMENT)).orElse(null);
    if (comment != null && !(comment instanceof String)) {
      throw new InvalidInputException(DriftProcess.COMMENT, "must be text");
    }
    String text = FreeText.optional(DriftProcess.COMMENT, (String) comment, MAX_COMMENT);
    audit.record(
        AuditEvent.Draft.by(who.getUserId(), AuditAction.DRIFT_FINDING_CLOSED)
            .subject(Username.of(finding[1]))
            .resource(ResourceId.of(finding[0]))
            .detail("comment", text));
  }

  private static String key(ResourceId resource, Username person) {
    return resource.value() + "/" + person.value();
  }

  /** Resource and person, checked as the kernel checks them. */
  private static String[] finding(DelegateTask task) {
    String key = task.getExecution().getProcessBusinessKey();
    int slash = key == null ? -1 : key.indexOf('/');
    if (slash < 0) {
      throw new IllegalStateException("a drift finding's instance has no finding: " + key);
    }
    return new String[] {
      ResourceId.of(key.substring(0, slash)).value(), Username.of(key.substring(slash + 1)).value()
    };
  }
}
