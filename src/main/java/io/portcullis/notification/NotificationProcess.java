package io.portcullis.notification;

/** The names by which Java and {@code processes/notification.bpmn} refer to each other. */
final class NotificationProcess {

  static final String KEY = "notification";
  static final String TASK_SEND = "serviceTask_sendNotification";

  private NotificationProcess() {}
}
