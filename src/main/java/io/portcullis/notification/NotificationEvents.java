package io.portcullis.notification;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.notification.NotificationStore.StoredNotice;
import org.springframework.stereotype.Component;

/**
 * The audit events of notifications: each channel's delivery or failed attempt, with the channel,
 * the kind, the request and how many were reached; never the webhook's address, a token or what
 * people wrote. Written on their own: a message that left stays on record even when another
 * channel's failure rolls the sending step back.
 */
@Component
class NotificationEvents {

  static final int MAX_ERROR = 300;

  private final AuditTrail trail;

  NotificationEvents(AuditTrail trail) {
    this.trail = trail;
  }

  void sent(StoredNotice stored, String channel, int recipients) {
    trail.recordOnItsOwn(
        about(stored, AuditAction.NOTIFICATION_SENT, channel).detail("recipients", recipients));
  }

  /**
   * @param retriesLeft the attempts the engine still makes; 0: this failure raises an incident
   */
  void failed(StoredNotice stored, String channel, Integer retriesLeft, String error) {
    trail.recordOnItsOwn(
        about(stored, AuditAction.NOTIFICATION_FAILED, channel)
            .detail("recipients", stored.notice().recipients().count())
            .detail("retriesLeft", retriesLeft)
            .detail("error", shorten(error)));
  }

  /** An instance of the notification process that Portcullis did not start for a stored notice. */
  void unbound(String processInstanceId, String actor) {
    trail.recordOnItsOwn(
        AuditEvent.Draft.by(actor, AuditAction.ACTION_REFUSED)
            .request((String) null, processInstanceId)
            .detail("attempted", NotificationProcess.TASK_SEND)
            .detail(
                "why",
                "the notification instance was not started by Portcullis for a stored notice; nothing is sent"));
  }

  private static AuditEvent.Draft about(StoredNotice stored, String action, String channel) {
    Notice notice = stored.notice();
    return AuditEvent.Draft.by(AuditEvent.SYSTEM, action)
        .subject(notice.facts().get("requester"))
        .resource(notice.facts().get("resource"))
        .request(notice.requestId(), stored.processInstanceId())
        .detail("channel", channel)
        .detail("kind", notice.kind())
        .detail("notification", stored.id());
  }

  private static String shorten(String error) {
    return error == null || error.length() <= MAX_ERROR
        ? error
        : error.substring(0, MAX_ERROR) + "...";
  }
}
