package io.portcullis.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/** The channels that are configured, each off unless its setting is given; checked at start-up. */
@Component
class NotificationChannels {

  private final List<NotificationChannel> enabled;

  NotificationChannels(
      NotificationProperties settings,
      ObjectProvider<JavaMailSender> mail,
      Mailboxes mailboxes,
      NoticeText text,
      ObjectMapper json) {
    List<NotificationChannel> channels = new ArrayList<>();
    if (settings.email().enabled()) {
      JavaMailSender sender = mail.getIfAvailable();
      if (sender == null) {
        throw new IllegalStateException(
            "portcullis.notifications.email.from is set, but no mail server is: set spring.mail.host "
                + "(and spring.mail.port, username, password as the server needs)");
      }
      channels.add(new EmailChannel(sender, mailboxes, text, settings.email()));
    }
    if (settings.webhook().enabled()) {
      channels.add(new WebhookChannel(settings.webhook(), text, json));
    }
    this.enabled = List.copyOf(channels);
  }

  List<NotificationChannel> enabled() {
    return enabled;
  }
}
