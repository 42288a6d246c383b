package io.portcullis.notification;

import java.util.UUID;
import java.util.function.Supplier;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/**
 * Tells people what happened to a request: the one door of the notification module.
 *
 * <p>A notification is a side effect like any other. {@link #send(Notice)} only stores the notice
 * and starts {@code processes/notification.bpmn} for it, in the caller's transaction: if the
 * caller's step rolls back, nothing was stored, started or sent. The sending itself is the
 * process's async step, on its own, with retries and then an incident of that instance alone, so a
 * channel that is down never holds up or undoes a decision, a grant or a revoke.
 */
@Service
public class Notifications {

  private static final Logger log = LoggerFactory.getLogger(Notifications.class);

  private final NotificationProperties settings;
  private final NotificationStore store;
  private final ProcessEngine engine;

  // the engine is lazy: its history handlers reach the request module, which reaches this
  Notifications(
      NotificationProperties settings, NotificationStore store, @Lazy ProcessEngine engine) {
    this.settings = settings;
    this.store = store;
    this.engine = engine;
  }

  /**
   * Stores the notice and starts its sending, within the caller's engine transaction (or a new
   * one). With no channel configured it does nothing at all.
   *
   * <p>The start needs none of the caller's engine permissions: requesters and approvers may not
   * start the notification process themselves (nobody but an admin may, and an instance that
   * Portcullis did not bind to a stored notice sends nothing), so authorization checks are off for
   * this one command.
   */
  public void send(Notice notice) {
    if (!settings.anyChannel()) {
      return;
    }
    start(notice);
  }

  /**
   * As {@link #send(Notice)}, for a notice built from what a step knows: one that cannot be built
   * (a name or value the notice refuses) is logged and left out, never a reason to fail the step
   * that tells.
   */
  public void send(Supplier<Notice> notice) {
    if (!settings.anyChannel()) {
      return;
    }
    Notice built;
    try {
      built = notice.get();
    } catch (IllegalArgumentException e) {
      log.warn("a notification was not sent: {}", e.getMessage());
      return;
    }
    start(built);
  }

  private void start(Notice notice) {
    String id = UUID.randomUUID().toString();
    ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .getCommandExecutorTxRequired()
        .execute(
            context ->
                context.runWithoutAuthorization(
                    () -> {
                      store.insert(id, notice);
                      ProcessInstance instance =
                          engine
                              .getRuntimeService()
                              .startProcessInstanceByKey(
                                  NotificationProcess.KEY, notice.requestId());
                      store.bind(id, instance.getId());
                      return null;
                    }));
  }
}
