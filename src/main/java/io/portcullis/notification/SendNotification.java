package io.portcullis.notification;

import io.portcullis.audit.AuditEvent;
import io.portcullis.notification.NotificationStore.StoredNotice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Send notification" of {@code processes/notification.bpmn}: sends the notice bound to this
 * instance (read from the table by the instance's id, never from a variable) on every configured
 * channel that has not taken it yet. A channel that fails makes the step fail, so the engine
 * retries it and in the end raises an incident of this instance; the channels that took it are
 * recorded on their own, so a retry never sends on them twice.
 */
@Component("sendNotification")
class SendNotification implements JavaDelegate {

  private static final Logger log = LoggerFactory.getLogger(SendNotification.class);
  private static final Pattern RETRY_CYCLE = Pattern.compile("R(\\d+)/");

  private final NotificationStore store;
  private final NotificationChannels channels;
  private final NotificationEvents events;

  SendNotification(
      NotificationStore store, NotificationChannels channels, NotificationEvents events) {
    this.store = store;
    this.channels = channels;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    StoredNotice stored =
        store
            .byInstance(execution.getProcessInstanceId())
            .orElseThrow(
                () -> {
                  events.unbound(execution.getProcessInstanceId(), actor(execution));
                  return new NotificationFailedException(
                      "instance "
                          + execution.getProcessInstanceId()
                          + " was not started by Portcullis for a stored notice; nothing is sent");
                });
    Set<String> delivered = store.deliveredChannels(stored.id());
    List<String> failures = new ArrayList<>();
    for (NotificationChannel channel : channels.enabled()) {
      if (delivered.contains(channel.name())) {
        continue;
      }
      try {
        int reached = channel.send(stored.notice());
        store.deliveredOnItsOwn(stored.id(), channel.name(), reached);
        events.sent(stored, channel.name(), reached);
        log.info(
            "notification {} ({}, request {}) sent on {} to {} recipients",
            stored.id(),
            stored.notice().kind(),
            stored.notice().requestId(),
            channel.name(),
            reached);
      } catch (RuntimeException e) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        events.failed(stored, channel.name(), retriesLeft(execution), error);
        failures.add(channel.name() + ": " + error);
      }
    }
    if (!failures.isEmpty()) {
      throw new NotificationFailedException(
          "notification " + stored.id() + " not sent on " + String.join("; ", failures));
    }
  }

  /**
   * The attempts left after this one fails, from the job that runs it (none when it runs without a
   * job). Before its first failure a job still has the engine's default retries; the engine then
   * takes the count from the step's retry cycle ({@code R5/PT1M}), as it does here.
   */
  private static Integer retriesLeft(DelegateExecution execution) {
    List<Job> jobs =
        execution
            .getProcessEngineServices()
            .getManagementService()
            .createJobQuery()
            .processInstanceId(execution.getProcessInstanceId())
            .list();
    if (jobs.size() != 1) {
      return null;
    }
    Job job = jobs.get(0);
    boolean firstFailure = job.getExceptionMessage() == null;
    Integer fromCycle = firstFailure ? cycleRetries(execution) : null;
    return Math.max(0, (fromCycle != null ? fromCycle : job.getRetries()) - 1);
  }

  private static Integer cycleRetries(DelegateExecution execution) {
    if (execution.getBpmnModelElementInstance() == null
        || execution.getBpmnModelElementInstance().getExtensionElements() == null) {
      return null;
    }
    CamundaFailedJobRetryTimeCycle cycle =
        execution
            .getBpmnModelElementInstance()
            .getExtensionElements()
            .getElementsQuery()
            .filterByType(CamundaFailedJobRetryTimeCycle.class)
            .list()
            .stream()
            .findFirst()
            .orElse(null);
    Matcher repeat =
        cycle == null || cycle.getTextContent() == null
            ? null
            : RETRY_CYCLE.matcher(cycle.getTextContent().strip());
    return repeat != null && repeat.lookingAt() ? Integer.valueOf(repeat.group(1)) : null;
  }

  private static String actor(DelegateExecution execution) {
    Authentication authentication =
        execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    return authentication == null || authentication.getUserId() == null
        ? AuditEvent.SYSTEM
        : authentication.getUserId();
  }
}
