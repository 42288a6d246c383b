package io.portcullis.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * A JSON webhook: {@code {"text": "..."}}, the payload that Slack and Microsoft Teams incoming
 * webhooks both accept. The URL is a secret (a webhook's path is its credential), so no failure,
 * log line or audit record names it. A chat message carries no justification or comment unless
 * {@code portcullis.notifications.webhook.include-justification} is true.
 */
class WebhookChannel implements NotificationChannel {

  static final String NAME = "webhook";

  private final NotificationProperties.Webhook settings;
  private final NoticeText text;
  private final ObjectMapper json;
  private final HttpClient client;

  WebhookChannel(NotificationProperties.Webhook settings, NoticeText text, ObjectMapper json) {
    this.settings = settings;
    this.text = text;
    this.json = json;
    // no redirects: a redirect could carry the message somewhere the settings never named
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int send(Notice notice) {
    byte[] payload = payload(notice);
    HttpRequest request =
        HttpRequest.newBuilder(settings.uri())
            .timeout(settings.timeout())
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
            .build();
    HttpResponse<Void> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException | RuntimeException e) {
      // the exception's own message may name the address: only its kind is kept
      throw new NotificationFailedException(
          "the webhook could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotificationFailedException("interrupted while posting to the webhook");
    }
    if (response.statusCode() / 100 != 2) {
      throw new NotificationFailedException("the webhook answered HTTP " + response.statusCode());
    }
    return notice.recipients().count();
  }

  byte[] payload(Notice notice) {
    try {
      return json.writeValueAsBytes(
          Map.of("text", text.chatText(notice, settings.includeJustification())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a chat message could not be written as JSON", e);
    }
  }
}
