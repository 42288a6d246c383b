package io.portcullis.notification;

import java.util.List;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * E-mail over SMTP with Spring's mail support ({@code spring.mail.*}): one plain-text mail per
 * notice, to every recipient's directory address. It carries the justification and comments unless
 * {@code portcullis.notifications.email.include-justification} is false: a mail goes to named
 * people, each of whom may read the request in Portcullis anyway.
 */
class EmailChannel implements NotificationChannel {

  static final String NAME = "email";

  private final JavaMailSender mail;
  private final Mailboxes mailboxes;
  private final NoticeText text;
  private final NotificationProperties.Email settings;

  EmailChannel(
      JavaMailSender mail,
      Mailboxes mailboxes,
      NoticeText text,
      NotificationProperties.Email settings) {
    this.mail = mail;
    this.mailboxes = mailboxes;
    this.text = text;
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int send(Notice notice) {
    List<String> to = mailboxes.of(notice.recipients());
    if (to.isEmpty()) {
      return 0;
    }
    SimpleMailMessage message = new SimpleMailMessage();
    message.setFrom(settings.from());
    message.setTo(to.toArray(String[]::new));
    message.setSubject(text.mailSubject(notice));
    message.setText(text.mailBody(notice, settings.includeJustification()));
    mail.send(message);
    return to.size();
  }
}
