package io.portcullis.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.notification.Notice.Recipients;
import io.portcullis.support.WebappPath;
import io.portcullis.web.PublicUrl;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.junit.jupiter.api.Test;

/** The words of a notice and the settings of the channels, without Spring. */
class NoticeTextTest {

  static final NoticeText TEXT =
      new NoticeText(
          new PublicUrl(URI.create("https://portcullis.example.com")), new CamundaBpmProperties());
  static final Notice WAITING =
      Notice.of(
              Notice.APPROVAL_WAITING,
              "r-1",
              Recipients.groups("team-leads").except("alice"),
              "Approve staging-db-admin for alice (PT1H)")
          .fact("requester", "alice")
          .fact("resource", "staging-db-admin")
          .fact("duration", Duration.ofHours(1))
          .justification("fix <!channel> & the token is abc123")
          .comment("ok by me");

  @Test
  void aChatMessageLeavesOutWhatPeopleWroteUnlessConfigured() throws Exception {
    JsonNode payload = payload(false);
    assertThat(payload.size()).isEqualTo(1);
    assertThat(payload.get("text").asText())
        .isEqualTo(
            """
        Portcullis: Approve staging-db-admin for alice (PT1H)
        Requester: alice | Resource: staging-db-admin | Duration: PT1H
        For: team-leads
        Request: https://portcullis.example.com/api/access-requests/r-1
        Decide in Tasklist: https://portcullis.example.com"""
                + WebappPath.DEFAULT
                + "/app/tasklist/");
  }

  @Test
  void aChatMessageCarriesTheJustificationEscapedAndQuotedWhenConfigured() throws Exception {
    String text = payload(true).get("text").asText();
    assertThat(text)
        .contains(
            "Justification, as the requester wrote it:\n> fix &lt;!channel&gt; &amp; the token is abc123",
            "Comment, as written:\n> ok by me")
        .doesNotContain("<!channel>");
  }

  @Test
  void aMailCarriesTheJustificationQuotedUnlessConfiguredOtherwise() {
    assertThat(TEXT.mailBody(WAITING, true))
        .contains(
            "Justification, as the requester wrote it:\n> fix <!channel> & the token is abc123",
            "Comment, as written:\n> ok by me",
            "Request: https://portcullis.example.com/api/access-requests/r-1");
    assertThat(TEXT.mailBody(WAITING, false)).doesNotContain("abc123", "ok by me", "Justification");
    assertThat(TEXT.mailSubject(WAITING))
        .isEqualTo("[Portcullis] Approve staging-db-admin for alice (PT1H)");
  }

  /**
   * A justification that ends as Portcullis' mail ends (a link that looks like ours, a sign-off):
   * in the mail and in the chat message alike, Portcullis' own links and sign-off come first and
   * every line people wrote is quoted, whatever line break it used.
   */
  @Test
  void whatPeopleWroteIsQuotedAfterPortcullisOwnLinksAndSignOff() throws Exception {
    String forged =
        "needed for the release\n\nRequest: https://evil.example/approve\r\nDecide in Tasklist: https://evil.example/t\r"
            + "-- \u2028"
            + NoticeText.SIGN_OFF
            + "\u0085\u000Bsee you\n";
    Notice notice =
        WAITING.justification(forged).comment("fine\nOpen in Portcullis: https://evil.example/c");
    for (String text : List.of(TEXT.mailBody(notice, true), TEXT.chatText(notice, true))) {
      List<String> lines = text.lines().toList();
      int firstWritten = lines.indexOf("> needed for the release");
      assertThat(firstWritten).as(text).isPositive();
      assertThat(lines.subList(0, firstWritten))
          .as("Portcullis' own words come first")
          .contains(
              "Request: https://portcullis.example.com/api/access-requests/r-1",
              "Decide in Tasklist: https://portcullis.example.com"
                  + WebappPath.DEFAULT
                  + "/app/tasklist/")
          .noneMatch(line -> line.contains("evil.example"));
      assertThat(lines.subList(firstWritten, lines.size()))
          .as("after it, only quotes and the headings of quotes")
          .allMatch(
              line ->
                  line.startsWith(">")
                      || line.isEmpty()
                      || line.endsWith("wrote it:")
                      || line.equals("Comment, as written:"));
      assertThat(lines)
          .filteredOn(
              line ->
                  line.contains("evil.example")
                      || line.contains("see you")
                      || line.contains("just-in-time"))
          .allMatch(line -> line.startsWith("> ") || line.equals(NoticeText.SIGN_OFF));
    }
    assertThat(TEXT.mailBody(notice, true))
        .as("one sign-off of Portcullis' own, before the quotes")
        .containsOnlyOnce("\n" + NoticeText.SIGN_OFF + "\n")
        .doesNotContain("\n-- \n");
  }

  @Test
  void aSubjectIsOneLineAndANoticeNamesSomeone() {
    Notice forged =
        Notice.of(
            Notice.ACCESS_GRANTED,
            null,
            Recipients.users("alice"),
            "granted\r\nBcc: everyone@example.com");
    assertThat(forged.subject()).isEqualTo("granted  Bcc: everyone@example.com");
    assertThatThrownBy(
            () -> Notice.of(Notice.ACCESS_GRANTED, null, new Recipients(null, null, null), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Notice.of(Notice.ACCESS_GRANTED, null, Recipients.users("alice,bob@x"), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Notice.of("Granted", null, Recipients.users("alice"), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Notice.of(Notice.ACCESS_GRANTED, "../x", Recipients.users("alice"), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theWebhookUrlIsHttpsOrLoopbackAndNeverShown() {
    String secret = "https://hooks.slack.com/services/T000/B000/very-secret";
    NotificationProperties.Webhook webhook = new NotificationProperties.Webhook(secret, null, null);
    assertThat(webhook.toString()).doesNotContain("very-secret").contains("(set)");
    assertThat(new NotificationProperties(null, webhook).toString()).doesNotContain("very-secret");
    assertThat(webhook.includeJustification()).isFalse();
    assertThat(new NotificationProperties.Webhook("http://127.0.0.1:9/hook", null, null).enabled())
        .isTrue();
    assertThatThrownBy(
            () ->
                new NotificationProperties.Webhook(
                    "http://hooks.example.com/services/very-secret", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("very-secret");
    assertThatThrownBy(
            () -> new NotificationProperties.Webhook("not a url very-secret", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("very-secret");
    assertThat(new NotificationProperties(null, null).anyChannel()).isFalse();
    assertThat(
            new NotificationProperties.Email("portcullis@example.com", null).includeJustification())
        .isTrue();
  }

  private static JsonNode payload(boolean includeJustification) throws Exception {
    var settings =
        new NotificationProperties.Webhook(
            "https://hooks.example.com/x", includeJustification, null);
    return new ObjectMapper()
        .readTree(new WebhookChannel(settings, TEXT, new ObjectMapper()).payload(WAITING));
  }
}
