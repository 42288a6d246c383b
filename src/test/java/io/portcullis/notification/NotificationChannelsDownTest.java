package io.portcullis.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.ProcessFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Both channels down (nothing listens on the SMTP port, the webhook answers 500): the request is
 * still decided and granted, and only the notification instances fail, retry and end in incidents.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
class NotificationChannelsDownTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final WebhookReceiver WEBHOOK = WebhookReceiver.start();
  static final int CLOSED_PORT = closedPort();

  @DynamicPropertySource
  static void channels(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> CLOSED_PORT);
    registry.add("portcullis.notifications.email.from", () -> "portcullis@portcullis.demo");
    registry.add("portcullis.notifications.webhook.url", WEBHOOK::url);
  }

  @LocalServerPort int port;
  @Autowired LdapGroupConnector ldapGroups;

  @AfterEach
  void cleanUp() {
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(NotificationProcess.KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    ldapGroups.revoke(Username.of("alice"), Target.of(STAGING));
  }

  @AfterAll
  static void stopServer() {
    WEBHOOK.close();
  }

  @Test
  void withBothChannelsDownTheGrantStillHappensAndOnlyTheNotificationsBecomeIncidents() {
    WEBHOOK.answer(500);
    Door door = new Door(port);
    Answer created =
        door.call("POST", "/api/access-requests")
            .as("alice")
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT1H",
                    "justification",
                    "release 42"))
            .send();
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of())
            .send();
    assertThat(approved.status()).isEqualTo(200);
    String access =
        jdbc.queryForObject(
            "select process_instance_id from access_request where id = ?", String.class, id);
    runJob(access); // standing access checked, and the access clock started
    runJob(access); // granted

    assertThat(
            jdbc.queryForObject("select status from access_request where id = ?", String.class, id))
        .isEqualTo("ACTIVE");
    assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    List<String> notices =
        jdbc.queryForList(
            "select process_instance_id from notification where request_id = ? order by created_at, kind",
            String.class,
            id);
    assertThat(
            jdbc.queryForList(
                "select kind from notification where request_id = ?", String.class, id))
        .containsExactlyInAnyOrder(
            Notice.APPROVAL_WAITING, Notice.REQUEST_DECIDED, Notice.ACCESS_GRANTED);

    for (String notice : notices) {
      for (int attempt = 0; attempt < 5; attempt++) {
        Job job = jobOf(notice);
        assertThatThrownBy(() -> management.executeJob(job.getId()))
            .isInstanceOf(NotificationFailedException.class)
            .hasMessageContaining("email: ")
            .hasMessageContaining("webhook: the webhook answered HTTP 500");
      }
      assertThat(jobOf(notice).getRetries()).isZero();
      assertThat(runtime.createIncidentQuery().processInstanceId(notice).count()).isEqualTo(1);
    }
    assertThat(runtime.createIncidentQuery().processInstanceId(access).count())
        .as("the access instance has none")
        .isZero();
    assertThat(
            jdbc.queryForObject("select status from access_request where id = ?", String.class, id))
        .isEqualTo("ACTIVE");
    assertThat(jdbc.queryForObject("select count(*) from notification_delivery", Integer.class))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_event where request_id = ? and action = 'notification.failed'",
                Integer.class,
                id))
        .as("3 notices, 5 attempts, 2 channels")
        .isEqualTo(30);
    // the grant and its audit record are there, whatever the notifications did
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_event where request_id = ? and action = 'access.granted'",
                Integer.class,
                id))
        .isEqualTo(1);
  }

  private Job jobOf(String processInstanceId) {
    return management.createJobQuery().processInstanceId(processInstanceId).singleResult();
  }

  /** A local port that nothing listens on: bound once to find it, then closed. */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
