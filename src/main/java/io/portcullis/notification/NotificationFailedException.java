package io.portcullis.notification;

/**
 * A channel did not take a notice. The message never carries a webhook's address (a secret) or what
 * people wrote: it is stored with the failed job and shown in Cockpit.
 */
class NotificationFailedException extends RuntimeException {

  NotificationFailedException(String message) {
    super(message);
  }
}
