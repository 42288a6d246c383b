package io.portcullis.notification;

/** One way of telling people: e-mail, a chat webhook. */
interface NotificationChannel {

  /**
   * The channel's name in the audit trail and the delivery record: {@code email}, {@code webhook}.
   */
  String name();

  /**
   * Sends the notice, or throws. Called again when the sending step is retried, unless it returned.
   *
   * @return how many recipients it reached (0: there was nobody to send to, which is not a failure)
   * @throws NotificationFailedException or any runtime exception, when the channel did not take it
   */
  int send(Notice notice);
}
