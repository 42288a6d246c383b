package io.portcullis.notification;

import jakarta.validation.Valid;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The notification channels, under {@code portcullis.notifications}; each is off unless configured,
 * and with none configured nothing is stored or started at all (docs/notifications.md).
 *
 * @param email e-mail over SMTP; the server itself is Spring Boot's {@code spring.mail.*}
 * @param webhook a JSON webhook in the shape Slack and Microsoft Teams incoming webhooks accept
 */
@Validated
@ConfigurationProperties("portcullis.notifications")
record NotificationProperties(@Valid Email email, @Valid Webhook webhook) {

  NotificationProperties {
    email = email == null ? new Email(null, null) : email;
    webhook = webhook == null ? new Webhook(null, null, null) : webhook;
  }

  boolean anyChannel() {
    return email.enabled() || webhook.enabled();
  }

  /**
   * @param from the sender's address; e-mail is on when it is set (and then {@code
   *     spring.mail.host} must be too)
   * @param includeJustification whether mails carry the justification and comments (default true: a
   *     mail goes to named people of the directory, who may read the request anyway)
   */
  record Email(@jakarta.validation.constraints.Email String from, Boolean includeJustification) {

    Email {
      from = from == null || from.isBlank() ? null : from.strip();
      includeJustification = includeJustification == null || includeJustification;
    }

    boolean enabled() {
      return from != null;
    }
  }

  /**
   * @param url where to post; a secret (the path of a Slack or Teams webhook is its credential):
   *     never logged, never audited, not shown by {@link #toString()}. https, or http to a loopback
   *     address only.
   * @param includeJustification whether chat messages carry the justification and comments (default
   *     false: a channel is read by many, and a justification may hold anything)
   * @param timeout how long to wait for the webhook to connect and to answer (default 10 s)
   */
  record Webhook(String url, Boolean includeJustification, Duration timeout) {

    // a String, not a URI: Spring's binding error for a malformed URI would print the value
    Webhook {
      url = url == null || url.isBlank() ? null : url.strip();
      includeJustification = includeJustification != null && includeJustification;
      timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
      if (timeout.isNegative()
          || timeout.isZero()
          || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "portcullis.notifications.webhook.timeout must be between 0 and PT1M");
      }
      if (url != null && !secure(parse(url))) {
        // the value itself is not repeated: it is a secret
        throw new IllegalArgumentException(
            "portcullis.notifications.webhook.url must be an absolute https URL "
                + "(http only to localhost)");
      }
    }

    boolean enabled() {
      return url != null;
    }

    URI uri() {
      return parse(url);
    }

    private static URI parse(String url) {
      try {
        return new URI(url);
      } catch (URISyntaxException e) {
        return null;
      }
    }

    private static boolean secure(URI url) {
      if (url == null || !url.isAbsolute() || url.getHost() == null) {
        return false;
      }
      return "https".equalsIgnoreCase(url.getScheme())
          || "http".equalsIgnoreCase(url.getScheme())
              && (url.getHost().equals("localhost")
                  || url.getHost().equals("127.0.0.1")
                  || url.getHost().equals("[::1]"));
    }

    @Override
    public String toString() {
      return "Webhook[url="
          + (url == null ? "none" : "(set)")
          + ", includeJustification="
          + includeJustification
          + ", timeout="
          + timeout
          + "]";
    }
  }
}
