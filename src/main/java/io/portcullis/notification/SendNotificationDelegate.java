package io.portcullis.notification;

import io.portcullis.audit.AuditEvent;
import io.portcullis.notification.NotificationStore.StoredNotice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.runtime.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Send notification" of {@code processes/notification.bpmn}: sends the notice bound to this instance
 * (read from the table by the instance's id, never from a variable) on every configured channel that
 * has not taken it yet. A channel that fails makes the step fail, so the engine retries it and in the
 * end raises an incident of this instance; the channels that took it are recorded on their own, so a
 * retry never sends on them twice.
 */
@Component("sendNotification")
class SendNotificationDelegate implements JavaDelegate {

  private static final Logger log = LoggerFactory.getLogger(SendNotificationDelegate.class);

  private final NotificationStore store;
  private final NotificationChannels channels;
  private final NotificationEvents events;

  SendNotificationDelegate(NotificationStore store, NotificationChannels channels, NotificationEvents events) {
    this.store = store;
    this.channels = channels;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    StoredNotice stored = store.byInstance(execution.getProcessInstanceId()).orElseThrow(() -> {
      events.unbound(execution.getProcessInstanceId(), actor(execution));
      return new NotificationFailedException("instance " + execution.getProcessInstanceId()
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
        log.info("notification {} ({}, request {}) sent on {} to {} recipients", stored.id(), stored.notice().kind(),
            stored.notice().requestId(), channel.name(), reached);
      } catch (RuntimeException e) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        events.failed(stored, channel.name(), retriesLeft(execution), error);
        failures.add(channel.name() + ": " + error);
      }
    }
    if (!failures.isEmpty()) {
      throw new NotificationFailedException("notification " + stored.id() + " not sent on " + String.join("; ", failures));
    }
  }

  /** The attempts left after this one, from the job that runs it (none when it runs without a job). */
  private static Integer retriesLeft(DelegateExecution execution) {
    List<Job> jobs = execution.getProcessEngineServices().getManagementService().createJobQuery()
        .processInstanceId(execution.getProcessInstanceId()).list();
    return jobs.size() == 1 ? Math.max(0, jobs.get(0).getRetries() - 1) : null;
  }

  private static String actor(DelegateExecution execution) {
    Authentication authentication = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    return authentication == null || authentication.getUserId() == null ? AuditEvent.SYSTEM : authentication.getUserId();
  }
}
