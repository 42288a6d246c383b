package io.portcullis.notification;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.drift.DriftProcess;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.BreakGlassReview;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.ProcessFixture;
import io.portcullis.support.WebappPath;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Notifications end to end: requests made and decided through the product's real HTTP door, the
 * notification process run job by job (the job executor is off) and asserted with
 * camunda-bpm-assert, e-mail read at a real SMTP server (GreenMail, in-process) and the webhook at
 * a real HTTP server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
@ExtendWith(OutputCaptureExtension.class)
class NotificationsTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";
  static final String JUSTIFICATION = "migrate the orders table; db password is hunter2";
  // one SMTP server and one webhook for this class and its PostgreSQL subclass, until the JVM ends
  static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
  static final WebhookReceiver WEBHOOK = WebhookReceiver.start();
  static final ObjectMapper JSON = new ObjectMapper();

  static {
    SMTP.start();
  }

  @DynamicPropertySource
  static void channels(DynamicPropertyRegistry registry) {
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    registry.add("portcullis.notifications.email.from", () -> "portcullis@portcullis.demo");
    registry.add("portcullis.notifications.webhook.url", WEBHOOK::url);
    registry.add("portcullis.public-url", () -> "https://portcullis.test");
  }

  @LocalServerPort int port;
  @Autowired Notifications notifications;
  @Autowired LdapGroupConnector ldapGroups;
  Door door;

  @BeforeEach
  void start() {
    door = new Door(port);
  }

  @AfterEach
  void cleanUp() throws Exception {
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(NotificationProcess.KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    ldapGroups.revoke(Username.of("alice"), Target.of(STAGING));
    // a delegation left in force would tell its delegate of the next test's tasks
    jdbc.update(
        "update approval_delegation set ended_at = current_timestamp where ended_at is null");
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey("delegation")
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    jdbc.execute("delete from notification_delivery");
    jdbc.execute("delete from notification");
    SMTP.purgeEmailFromAllMailboxes();
    WEBHOOK.clear();
  }

  @Test
  void approversAreMailedThatATaskWaitsAndTheChannelHearsItWithoutTheJustification(
      CapturedOutput output) throws Exception {
    String id = ask("alice", "staging-db-admin", "PT1H");

    ProcessInstance notice = instanceOf(id, Notice.APPROVAL_WAITING);
    assertThat(notice).isStarted().isWaitingAt(NotificationProcess.TASK_SEND);
    Assertions.assertThat(SMTP.getReceivedMessages())
        .as("nothing leaves before the async step runs")
        .isEmpty();
    Assertions.assertThat(WEBHOOK.received()).isEmpty();

    runJob(notice);

    assertThat(notice)
        .isEnded()
        .hasPassed(NotificationProcess.TASK_SEND, "endEvent_notificationSent");
    MimeMessage mail = onlyMail();
    // team-leads is bob (the group's placeholder member is no person)
    Assertions.assertThat(addresses(mail)).containsExactly("bob@portcullis.demo");
    Assertions.assertThat(mail.getFrom()[0].toString()).isEqualTo("portcullis@portcullis.demo");
    Assertions.assertThat(mail.getSubject())
        .isEqualTo("[Portcullis] Approve staging-db-admin for alice (PT1H)");
    Assertions.assertThat(GreenMailUtil.getBody(mail).replace("\r\n", "\n"))
        .contains(
            "Requester: alice",
            "Resource: staging-db-admin",
            "Duration: PT1H",
            "Justification, as the requester wrote it:\n> " + JUSTIFICATION,
            "https://portcullis.test/api/access-requests/" + id,
            "https://portcullis.test" + WebappPath.DEFAULT + "/app/tasklist/");

    Assertions.assertThat(WEBHOOK.received()).hasSize(1);
    WebhookReceiver.Received post = WEBHOOK.received().get(0);
    Assertions.assertThat(post.method()).isEqualTo("POST");
    Assertions.assertThat(post.path()).isEqualTo(WebhookReceiver.SECRET_PATH);
    Assertions.assertThat(post.contentType()).startsWith("application/json");
    JsonNode payload = JSON.readTree(post.body());
    // the shape both Slack and Teams incoming webhooks accept: one text field
    Assertions.assertThat(fieldNames(payload)).containsExactly("text");
    Assertions.assertThat(payload.get("text").asText())
        .contains(
            "Approve staging-db-admin for alice (PT1H)",
            "Requester: alice",
            "For: team-leads",
            "https://portcullis.test/api/access-requests/" + id)
        .doesNotContain("hunter2", "migrate the orders table", "Justification");

    Assertions.assertThat(auditOf(id, "notification.sent"))
        .extracting(e -> e.get("channel").asText())
        .containsExactlyInAnyOrder("email", "webhook");
    Assertions.assertThat(auditOf(id, "notification.sent"))
        .allSatisfy(
            e -> {
              Assertions.assertThat(e.get("kind").asText()).isEqualTo(Notice.APPROVAL_WAITING);
              Assertions.assertThat(e.get("recipients").asInt()).isEqualTo(1);
            });
    assertTheWebhookSecretIsNowhere(output);
  }

  /**
   * Issue 25, finding 7: a justification written to end as Portcullis' mail ends, with a link to
   * another site where Portcullis' own would be. In the approver's mail it is a quote, below the
   * real links and the sign-off; nothing after the sign-off is unquoted.
   */
  /**
   * A reported drift finding (the test profile's prod-db-readonly says {@code on-drift: report})
   * tells the admins once, with its task: a second sweep that sees it again tells nobody.
   */
  @Test
  void aReportedDriftFindingIsMailedToTheAdminsOnceWhileItsTaskIsOpen() throws Exception {
    ldapGroups.grant(Username.of("alice"), Target.of(PROD_DB));
    try {
      sweepOnce();
      sweepOnce();

      MimeMessage mail = onlyMail();
      Assertions.assertThat(addresses(mail)).containsExactly("dave@portcullis.demo");
      Assertions.assertThat(mail.getSubject())
          .isEqualTo("[Portcullis] alice holds prod-db-readonly outside Portcullis (drift)");
      Assertions.assertThat(GreenMailUtil.getBody(mail))
          .contains("Person: alice", "Resource: prod-db-readonly");
      Assertions.assertThat(
              tasks.createTaskQuery().processDefinitionKey(DriftProcess.FINDING_KEY).count())
          .isEqualTo(1);
    } finally {
      ldapGroups.revoke(Username.of("alice"), Target.of(PROD_DB));
      runtime
          .createProcessInstanceQuery()
          .processDefinitionKeyIn(DriftProcess.KEY, DriftProcess.FINDING_KEY)
          .list()
          .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    }
  }

  /** Fires the sweep's timer, runs the sweep, then the notices it started. */
  private void sweepOnce() {
    management.executeJob(
        management
            .createJobQuery()
            .processDefinitionKey(DriftProcess.KEY)
            .timers()
            .singleResult()
            .getId());
    for (String key : List.of(DriftProcess.KEY, NotificationProcess.KEY)) {
      for (int i = 0; i < 20; i++) {
        List<Job> due =
            management.createJobQuery().processDefinitionKey(key).executable().list().stream()
                .filter(j -> j.getProcessInstanceId() != null)
                .toList();
        if (due.isEmpty()) {
          break;
        }
        management.executeJob(due.get(0).getId());
      }
    }
  }

  @Test
  void aJustificationCannotForgeTheEndOfAnApproversMail() throws Exception {
    String forged =
        "restart the stuck consumer\n\nRequest: https://evil.example/approve\r\nDecide in Tasklist: https://evil.example/t\n"
            + "\n-- \n"
            + NoticeText.SIGN_OFF;
    Answer created =
        door.call("POST", "/api/access-requests")
            .as("alice")
            .json(
                Map.of("resource", "staging-db-admin", "duration", "PT1H", "justification", forged))
            .send();
    Assertions.assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();

    runJob(instanceOf(id, Notice.APPROVAL_WAITING));

    List<String> lines = GreenMailUtil.getBody(onlyMail()).replace("\r\n", "\n").lines().toList();
    int signOff = lines.indexOf(NoticeText.SIGN_OFF);
    Assertions.assertThat(lines.subList(0, signOff))
        .as("the real links come before the sign-off")
        .contains(
            "Request: https://portcullis.test/api/access-requests/" + id,
            "Decide in Tasklist: https://portcullis.test" + WebappPath.DEFAULT + "/app/tasklist/")
        .noneMatch(line -> line.contains("evil.example"));
    Assertions.assertThat(lines.subList(signOff + 1, lines.size()))
        .as("after the sign-off, only the requester's words, quoted")
        .containsSubsequence(
            "Justification, as the requester wrote it:",
            "> restart the stuck consumer",
            "> Request: https://evil.example/approve",
            "> Decide in Tasklist: https://evil.example/t",
            "> -- ",
            "> " + NoticeText.SIGN_OFF)
        .allMatch(
            line ->
                line.isEmpty()
                    || line.startsWith(">")
                    || line.equals("Justification, as the requester wrote it:"));
  }

  /**
   * Issue 24, finding 11: the second stage's approvers are told what their approval grants, beside
   * what was asked.
   */
  @Test
  void theSecondStageIsToldTheShorterTimeTheFirstApproved() throws Exception {
    String id = ask("alice", "prod-db-readonly", "PT1H");
    runJob(instanceOf(id, Notice.APPROVAL_WAITING));
    SMTP.purgeEmailFromAllMailboxes();

    Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of("duration", "PT30M"))
            .send();
    Assertions.assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    // the first stage's notice went out above; the second's waits for its job
    String secondStage =
        jdbc.queryForObject(
            "select n.process_instance_id from notification n where n.request_id = ? and n.kind = ? "
                + "and exists (select 1 from act_ru_job j where j.process_instance_id_ = n.process_instance_id)",
            String.class,
            id,
            Notice.APPROVAL_WAITING);
    runJob(runtime.createProcessInstanceQuery().processInstanceId(secondStage).singleResult());

    MimeMessage toSecurity = onlyMail();
    Assertions.assertThat(addresses(toSecurity)).containsExactly("carol@portcullis.demo");
    Assertions.assertThat(toSecurity.getSubject())
        .isEqualTo("[Portcullis] Approve prod-db-readonly for alice (PT30M of PT1H asked)");
    Assertions.assertThat(GreenMailUtil.getBody(toSecurity))
        .contains("Duration: PT1H", "Granted if approved: PT30M");
  }

  @Test
  void anOverdueStageRemindsItsApproversAndItsEscalationGroupNeverTheRequester() throws Exception {
    String id = ask("alice", "staging-db-admin", "PT1H");
    runJob(instanceOf(id, Notice.APPROVAL_WAITING));
    SMTP.purgeEmailFromAllMailboxes();
    remind(id);

    // one message, a copy in each of the two mailboxes
    Assertions.assertThat(SMTP.getReceivedMessages()).hasSize(2);
    MimeMessage reminder = SMTP.getReceivedMessages()[0];
    Assertions.assertThat(addresses(reminder))
        .as("team-leads and portcullis-admins")
        .contains("bob@portcullis.demo", "dave@portcullis.demo")
        .doesNotContain("alice@portcullis.demo");
    Assertions.assertThat(reminder.getSubject())
        .isEqualTo(
            "[Portcullis] Reminder: approve staging-db-admin for alice (PT1H), stage 1 of 1");
    Assertions.assertThat(lastChatText()).contains("Reminder: approve staging-db-admin for alice");
  }

  @Test
  void theRequesterIsToldOfTheDecisionTheGrantAndTheEnd() throws Exception {
    String id = ask("alice", "staging-db-admin", "PT1H");
    runJob(instanceOf(id, Notice.APPROVAL_WAITING));
    SMTP.purgeEmailFromAllMailboxes();

    Answer approved =
        door.call("POST", "/api/access-requests/" + id + "/approve")
            .as("bob")
            .json(Map.of("comment", "go ahead"))
            .send();
    Assertions.assertThat(approved.status()).isEqualTo(200);
    runJob(instanceOf(id, Notice.REQUEST_DECIDED));
    MimeMessage decided = onlyMail();
    Assertions.assertThat(addresses(decided)).containsExactly("alice@portcullis.demo");
    Assertions.assertThat(decided.getSubject())
        .isEqualTo("[Portcullis] bob approved your request for staging-db-admin (stage 1 of 1)");
    Assertions.assertThat(GreenMailUtil.getBody(decided).replace("\r\n", "\n"))
        .contains("Decision: APPROVE", "Approver: bob", "Comment, as written:\n> go ahead");
    Assertions.assertThat(lastChatText())
        .contains("bob approved your request")
        .doesNotContain("go ahead");

    String access =
        jdbc.queryForObject(
            "select process_instance_id from access_request where id = ?", String.class, id);
    runJob(access); // standing access checked, and the access clock started
    runJob(access); // granted
    Assertions.assertThat(status(id)).isEqualTo("ACTIVE");
    Instant expiresAt = T0.plus(Duration.ofHours(1));
    runJob(instanceOf(id, Notice.ACCESS_GRANTED));
    Assertions.assertThat(lastMail().getSubject())
        .isEqualTo("[Portcullis] Access to staging-db-admin granted until " + expiresAt);
    Assertions.assertThat(GreenMailUtil.getBody(lastMail())).contains("Expires at: " + expiresAt);

    moveClockTo(expiresAt);
    runJob(access); // the expiry timer
    runJob(access); // revoked
    Assertions.assertThat(status(id)).isEqualTo("EXPIRED");
    runJob(instanceOf(id, Notice.ACCESS_ENDED));
    Assertions.assertThat(lastMail().getSubject())
        .isEqualTo("[Portcullis] Your access to staging-db-admin expired");
    Assertions.assertThat(lastChatText()).contains("Your access to staging-db-admin expired");

    Assertions.assertThat(Arrays.stream(SMTP.getReceivedMessages()).map(this::subjectOf))
        .containsExactly(
            "[Portcullis] bob approved your request for staging-db-admin (stage 1 of 1)",
            "[Portcullis] Access to staging-db-admin granted until " + expiresAt,
            "[Portcullis] Your access to staging-db-admin expired");
  }

  @Test
  void aFailingWebhookIsRetriedThenAnIncidentOfTheNotificationAloneAndTheMailGoesOutOnce(
      CapturedOutput output) {
    WEBHOOK.answer(500);
    String id = ask("alice", "staging-db-admin", "PT1H");
    ProcessInstance notice = instanceOf(id, Notice.APPROVAL_WAITING);

    for (int retriesLeft = 4; retriesLeft >= 0; retriesLeft--) {
      Job job = jobOf(notice);
      assertThatThrownBy(() -> management.executeJob(job.getId()))
          .isInstanceOf(NotificationFailedException.class)
          .hasMessageContaining("webhook: the webhook answered HTTP 500");
      Assertions.assertThat(jobOf(notice).getRetries()).isEqualTo(retriesLeft);
      moveClockTo(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofMinutes(1)));
    }
    Assertions.assertThat(WEBHOOK.received()).hasSize(5);
    Assertions.assertThat(SMTP.getReceivedMessages())
        .as("e-mail took it at the first attempt, and only then")
        .hasSize(1);
    Assertions.assertThat(runtime.createIncidentQuery().processInstanceId(notice.getId()).count())
        .isEqualTo(1);
    String access =
        jdbc.queryForObject(
            "select process_instance_id from access_request where id = ?", String.class, id);
    Assertions.assertThat(runtime.createIncidentQuery().processInstanceId(access).count())
        .as("the request is untouched")
        .isZero();
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(access).singleResult())
        .isWaitingAt(ApprovalProcess.TASK_APPROVE);
    Assertions.assertThat(auditOf(id, "notification.failed"))
        .extracting(e -> e.get("retriesLeft").asInt())
        .containsExactly(4, 3, 2, 1, 0);
    Assertions.assertThat(auditOf(id, "notification.failed"))
        .allSatisfy(
            e -> {
              Assertions.assertThat(e.get("channel").asText()).isEqualTo("webhook");
              Assertions.assertThat(e.get("error").asText())
                  .isEqualTo("the webhook answered HTTP 500");
            });

    // the channel is repaired; an operator retries the incident: the webhook is sent, the mail is
    // not again
    WEBHOOK.answer(200);
    management.setJobRetries(jobOf(notice).getId(), 1);
    runJob(notice);
    assertThat(notice).isEnded();
    Assertions.assertThat(WEBHOOK.received()).hasSize(6);
    Assertions.assertThat(SMTP.getReceivedMessages()).hasSize(1);
    Assertions.assertThat(auditOf(id, "notification.sent"))
        .extracting(e -> e.get("channel").asText())
        .containsExactly("email", "webhook");
    assertTheWebhookSecretIsNowhere(output);
  }

  @Test
  void nothingIsStoredStartedOrSentWhenTheCallersTransactionRollsBack() {
    var commands =
        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
            .getCommandExecutorTxRequired();
    assertThatThrownBy(
            () ->
                commands.execute(
                    context -> {
                      notifications.send(
                          Notice.of(
                              Notice.ACCESS_GRANTED,
                              "rolled-back",
                              Notice.Recipients.users("alice"),
                              "never sent"));
                      throw new IllegalStateException(
                          "the caller's step fails after it asked to notify");
                    }))
        .isInstanceOf(IllegalStateException.class);
    Assertions.assertThat(jdbc.queryForObject("select count(*) from notification", Integer.class))
        .isZero();
    Assertions.assertThat(
            runtime
                .createProcessInstanceQuery()
                .processDefinitionKey(NotificationProcess.KEY)
                .count())
        .isZero();

    // a decision refused inside the engine's transaction (the requester completing their own task
    // through the engine's REST API): the transaction rolls back, and nobody hears of it
    String id = ask("bob", "staging-db-admin", "PT1H");
    String task = tasks.createTaskQuery().processInstanceBusinessKey(id).singleResult().getId();
    Answer own =
        door.call("POST", "/engine-rest/task/" + task + "/complete")
            .as("bob")
            .json(Map.of("variables", Map.of("decision", Map.of("value", "approve"))))
            .send();
    Assertions.assertThat(own.status()).isEqualTo(403);
    Assertions.assertThat(tasks.createTaskQuery().taskId(task).count())
        .as("the task still waits")
        .isEqualTo(1);
    Assertions.assertThat(
            jdbc.queryForList(
                "select kind from notification where request_id = ?", String.class, id))
        .containsExactly(Notice.APPROVAL_WAITING);
    // bob asked, and bob is all of team-leads: the approvers are told, without the requester
    runJob(instanceOf(id, Notice.APPROVAL_WAITING));
    Assertions.assertThat(SMTP.getReceivedMessages()).isEmpty();
    Assertions.assertThat(auditOf(id, "notification.sent"))
        .filteredOn(e -> e.get("channel").asText().equals("email"))
        .singleElement()
        .satisfies(e -> Assertions.assertThat(e.get("recipients").asInt()).isZero());
  }

  @Test
  void nobodyButPortcullisStartsANotificationAndOneNotBoundToANoticeSendsNothing() {
    String definition =
        engine
            .getRepositoryService()
            .createProcessDefinitionQuery()
            .processDefinitionKey(NotificationProcess.KEY)
            .latestVersion()
            .singleResult()
            .getId();
    for (String user : List.of("alice", "bob")) {
      // by key the definition is invisible to them, as a missing one; by its id the start is
      // refused
      Answer byKey =
          door.call("POST", "/engine-rest/process-definition/key/notification/start")
              .as(user)
              .json(Map.of("variables", Map.of()))
              .send();
      Assertions.assertThat(byKey.status()).as(user + " by key").isEqualTo(404);
      Answer byId =
          door.call("POST", "/engine-rest/process-definition/" + definition + "/start")
              .as(user)
              .json(Map.of("variables", Map.of()))
              .send();
      Assertions.assertThat(byId.status()).as(user + " by id").isEqualTo(403);
      Assertions.assertThat(
              jdbc.queryForObject(
                  "select count(*) from audit_event where action = 'action.refused' and actor = ? "
                      + "and details like '%StartProcessInstance%'",
                  Integer.class, user))
          .as(user + "'s refusal is audited")
          .isEqualTo(1);
    }
    // nor is it offered in Tasklist's list of processes to start
    Answer startable =
        door.call(
                "GET",
                "/engine-rest/process-definition?startableInTasklist=true&startablePermissionCheck=true")
            .as("alice")
            .send();
    Assertions.assertThat(startable.status()).isEqualTo(200);
    Assertions.assertThat(startable.json().findValuesAsText("key"))
        .contains("jit-access")
        .doesNotContain(NotificationProcess.KEY);
    Assertions.assertThat(
            runtime
                .createProcessInstanceQuery()
                .processDefinitionKey(NotificationProcess.KEY)
                .count())
        .isZero();

    // an admin may start any process; this one finds no stored notice and sends nothing
    Answer byAdmin =
        door.call("POST", "/engine-rest/process-definition/key/notification/start")
            .as("dave")
            .json(Map.of("variables", Map.of("subject", Map.of("value", "forged"))))
            .send();
    Assertions.assertThat(byAdmin.status()).isEqualTo(200);
    ProcessInstance forged =
        runtime
            .createProcessInstanceQuery()
            .processInstanceId(byAdmin.json().get("id").asText())
            .singleResult();
    assertThatThrownBy(() -> runJob(forged))
        .isInstanceOf(NotificationFailedException.class)
        .hasMessageContaining("was not started by Portcullis");
    Assertions.assertThat(SMTP.getReceivedMessages()).isEmpty();
    Assertions.assertThat(WEBHOOK.received()).isEmpty();
    Assertions.assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_event where action = 'action.refused' and process_instance_id = ?",
                Integer.class,
                forged.getId()))
        .isEqualTo(1);
  }

  /**
   * Olivia breaks glass on prod-db-readonly (issue 29, item 3): every member of every group of the
   * chain she skipped (team-leads, security and their escalation group portcullis-admins) is
   * mailed, never olivia; unreviewed at its deadline, the admins are told the review is overdue.
   */
  @Test
  void aBreakGlassIsToldToEveryMemberOfTheSkippedChainAndAnOverdueReviewToTheAdmins()
      throws Exception {
    Answer created =
        door.call("POST", "/api/access-requests")
            .as("olivia")
            .json(
                Map.of(
                    "resource",
                    "prod-db-readonly",
                    "duration",
                    "PT1H",
                    "justification",
                    JUSTIFICATION,
                    "ticket",
                    "INC-4711",
                    "breakGlass",
                    true))
            .send();
    Assertions.assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asText();

    runJob(instanceOf(id, "break-glass.used"));
    List<String> told = new ArrayList<>();
    for (MimeMessage each : SMTP.getReceivedMessages()) {
      told.addAll(addresses(each));
      Assertions.assertThat(subjectOf(each))
          .contains("olivia broke glass: prod-db-readonly for PT1H without approval");
    }
    // one message to the three of them; GreenMail keeps a copy in each mailbox
    Assertions.assertThat(told.stream().distinct())
        .containsExactlyInAnyOrder(
            "bob@portcullis.demo", "carol@portcullis.demo", "dave@portcullis.demo");
    Assertions.assertThat(subjectOf(lastMail()))
        .contains(
            "olivia broke glass: prod-db-readonly for PT1H without approval; team-leads reviews it");
    Assertions.assertThat(lastChatText()).contains("olivia broke glass").doesNotContain("hunter2");

    ProcessInstance review =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey(BreakGlassReview.KEY)
            .processInstanceBusinessKey(id)
            .singleResult();
    moveClockTo(T0.plus(Duration.ofHours(24)).plusSeconds(1));
    runJob(review);
    runJob(review);
    SMTP.purgeEmailFromAllMailboxes();
    runJob(instanceOf(id, "break-glass.review-overdue"));
    // GreenMail lists mail mailbox by mailbox, not in the order sent: the one mail since the purge
    MimeMessage overdue = onlyMail();
    Assertions.assertThat(addresses(overdue)).containsExactly("dave@portcullis.demo");
    Assertions.assertThat(subjectOf(overdue))
        .contains(
            "Review overdue: olivia broke glass on prod-db-readonly; team-leads has not reviewed it");
  }

  /**
   * Issue 29, item 5: bob (team-leads) delegates to dave, who is no member: dave is told of the
   * delegation, and by name of the task that then waits for team-leads, beside bob.
   */
  @Test
  void aDelegateIsToldOfTheDelegationAndOfEachTaskThatWaitsForTheirDelegator() throws Exception {
    Answer made =
        door.call("POST", "/api/delegations")
            .as("bob")
            .json(
                Map.of(
                    "to",
                    "dave",
                    "until",
                    T0.plus(Duration.ofDays(7)).toString(),
                    "reason",
                    "on holiday"))
            .send();
    Assertions.assertThat(made.status()).as(made.body()).isEqualTo(201);

    runJob(onlyInstanceOfKind("delegation.made"));
    MimeMessage told = onlyMail();
    Assertions.assertThat(addresses(told)).containsExactly("dave@portcullis.demo");
    Assertions.assertThat(told.getSubject())
        .isEqualTo(
            "[Portcullis] bob delegated their approvals to you from "
                + T0
                + " until "
                + T0.plus(Duration.ofDays(7)));
    Assertions.assertThat(GreenMailUtil.getBody(told)).contains("Delegator: bob", "Delegate: dave");
    SMTP.purgeEmailFromAllMailboxes();

    String id = ask("alice", "staging-db-admin", "PT1H");
    runJob(instanceOf(id, Notice.APPROVAL_WAITING));
    List<String> addressed = new ArrayList<>();
    for (MimeMessage each : SMTP.getReceivedMessages()) {
      addressed.addAll(addresses(each));
      Assertions.assertThat(subjectOf(each)).contains("Approve staging-db-admin for alice");
    }
    Assertions.assertThat(addressed.stream().distinct())
        .containsExactlyInAnyOrder("bob@portcullis.demo", "dave@portcullis.demo");
  }

  /** A delegation made for tomorrow: its delegate is told again when it comes into force. */
  @Test
  void aDelegateIsToldWhenADelegationMadeForLaterStarts() throws Exception {
    Instant from = T0.plus(Duration.ofDays(1));
    Answer made =
        door.call("POST", "/api/delegations")
            .as("bob")
            .json(
                Map.of(
                    "to",
                    "dave",
                    "from",
                    from.toString(),
                    "until",
                    from.plus(Duration.ofDays(2)).toString(),
                    "reason",
                    "on holiday"))
            .send();
    Assertions.assertThat(made.status()).as(made.body()).isEqualTo(201);
    ProcessInstance timing =
        runtime
            .createProcessInstanceQuery()
            .processDefinitionKey("delegation")
            .processInstanceBusinessKey(made.json().get("id").asText())
            .singleResult();
    Assertions.assertThat(
            jdbc.queryForObject(
                "select count(*) from notification where kind = 'delegation.started'",
                Integer.class))
        .isZero();

    moveClockTo(from.plusSeconds(1));
    runJob(timing);
    runJob(timing);
    SMTP.purgeEmailFromAllMailboxes();
    runJob(onlyInstanceOfKind("delegation.started"));
    MimeMessage mail = onlyMail();
    Assertions.assertThat(addresses(mail)).containsExactly("dave@portcullis.demo");
    Assertions.assertThat(mail.getSubject())
        .isEqualTo(
            "[Portcullis] You now decide in bob's place, until " + from.plus(Duration.ofDays(2)));
  }

  /**
   * Issue 29, leftover: a bundle's approvers are told of every resource they approve, not of the
   * first alone, in the subject and the facts, when the task waits and when it is overdue; the chat
   * message still carries no justification.
   */
  @Test
  void aBundlesApproversAreToldOfEveryResourceWhenItWaitsAndWhenItIsOverdue() throws Exception {
    String id = askFor(Map.of("bundle", "incident-responder"), "PT1H");
    runJob(instanceOf(id, Notice.APPROVAL_WAITING));

    MimeMessage waiting = onlyMail();
    Assertions.assertThat(addresses(waiting)).containsExactly("bob@portcullis.demo");
    Assertions.assertThat(waiting.getSubject())
        .isEqualTo(
            "[Portcullis] Approve prod-db-readonly, prod-logs-readonly (bundle incident-responder)"
                + " for alice (PT1H)");
    Assertions.assertThat(GreenMailUtil.getBody(waiting))
        .contains(
            "Resources: prod-db-readonly, prod-logs-readonly (bundle incident-responder)",
            "Bundle: incident-responder");
    Assertions.assertThat(lastChatText())
        .contains("Approve prod-db-readonly, prod-logs-readonly (bundle incident-responder)")
        .doesNotContain("hunter2", "migrate the orders table");
  }

  /** Issue 29, leftover: the overdue bundle's reminder names every resource too. */
  @Test
  void aBundlesReminderNamesEveryResource() throws Exception {
    String id = askFor(Map.of("bundle", "incident-responder"), "PT1H");
    runJob(instanceOf(id, Notice.APPROVAL_WAITING));
    SMTP.purgeEmailFromAllMailboxes();

    remind(id);

    Assertions.assertThat(SMTP.getReceivedMessages()).isNotEmpty();
    for (MimeMessage reminder : SMTP.getReceivedMessages()) {
      Assertions.assertThat(reminder.getSubject())
          .startsWith(
              "[Portcullis] Reminder: approve prod-db-readonly, prod-logs-readonly"
                  + " (bundle incident-responder) for alice (PT1H), stage 1 of 2");
      Assertions.assertThat(GreenMailUtil.getBody(reminder))
          .contains("Resources: prod-db-readonly, prod-logs-readonly (bundle incident-responder)")
          .doesNotContain("hunter2");
    }
    Assertions.assertThat(lastChatText())
        .contains("Reminder: approve prod-db-readonly, prod-logs-readonly")
        .doesNotContain("hunter2");
  }

  /**
   * Issue 29, leftover: bob (team-leads) delegated to carol, who is in neither group of the stage:
   * the overdue stage's reminder reaches carol too, as its new-approval notice did, and never the
   * requester.
   */
  @Test
  void anOverdueStageRemindsTheDelegatesOfItsApproversToo() throws Exception {
    Answer made =
        door.call("POST", "/api/delegations")
            .as("bob")
            .json(
                Map.of(
                    "to",
                    "carol",
                    "until",
                    T0.plus(Duration.ofDays(7)).toString(),
                    "reason",
                    "on holiday"))
            .send();
    Assertions.assertThat(made.status()).as(made.body()).isEqualTo(201);
    String id = ask("alice", "staging-db-admin", "PT1H");
    runJob(instanceOf(id, Notice.APPROVAL_WAITING));
    SMTP.purgeEmailFromAllMailboxes();

    remind(id);

    List<String> addressed = new ArrayList<>();
    for (MimeMessage each : SMTP.getReceivedMessages()) {
      addressed.addAll(addresses(each));
      Assertions.assertThat(subjectOf(each))
          .isEqualTo(
              "[Portcullis] Reminder: approve staging-db-admin for alice (PT1H), stage 1 of 1");
    }
    Assertions.assertThat(addressed.stream().distinct())
        .as("team-leads (bob), portcullis-admins (dave) and bob's delegate carol")
        .containsExactlyInAnyOrder(
            "bob@portcullis.demo", "dave@portcullis.demo", "carol@portcullis.demo");
  }

  /** The stage's reminder timer fires, its escalation runs, and the reminder is sent. */
  private void remind(String id) {
    String access =
        jdbc.queryForObject(
            "select process_instance_id from access_request where id = ?", String.class, id);
    moveClockTo(T0.plus(Duration.ofHours(4)));
    management.executeJob(
        management
            .createJobQuery()
            .processInstanceId(access)
            .timers()
            .activityId(ApprovalProcess.TIMER_REMINDER)
            .singleResult()
            .getId());
    management.executeJob(
        management
            .createJobQuery()
            .processInstanceId(access)
            .activityId(ApprovalProcess.TASK_ESCALATE)
            .singleResult()
            .getId());
    runJob(instanceOf(id, Notice.APPROVAL_REMINDER));
  }

  private String askFor(Map<String, Object> what, String duration) {
    Map<String, Object> body = new HashMap<>(what);
    body.put("duration", duration);
    body.put("justification", JUSTIFICATION);
    Answer created = door.call("POST", "/api/access-requests").as("alice").json(body).send();
    Assertions.assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private ProcessInstance onlyInstanceOfKind(String kind) {
    String instance =
        jdbc.queryForObject(
            "select process_instance_id from notification where kind = ?", String.class, kind);
    return runtime.createProcessInstanceQuery().processInstanceId(instance).singleResult();
  }

  private String ask(String requester, String resource, String duration) {
    Answer created =
        door.call("POST", "/api/access-requests")
            .as(requester)
            .json(
                Map.of("resource", resource, "duration", duration, "justification", JUSTIFICATION))
            .send();
    Assertions.assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private ProcessInstance instanceOf(String requestId, String kind) {
    String instance =
        jdbc.queryForObject(
            "select process_instance_id from notification where request_id = ? and kind = ?",
            String.class,
            requestId,
            kind);
    ProcessInstance pi =
        runtime.createProcessInstanceQuery().processInstanceId(instance).singleResult();
    Assertions.assertThat(pi).as("the %s instance of %s", kind, requestId).isNotNull();
    return pi;
  }

  private Job jobOf(ProcessInstance pi) {
    return management.createJobQuery().processInstanceId(pi.getId()).singleResult();
  }

  private String status(String id) {
    return jdbc.queryForObject("select status from access_request where id = ?", String.class, id);
  }

  private MimeMessage onlyMail() {
    Assertions.assertThat(SMTP.getReceivedMessages()).hasSize(1);
    return SMTP.getReceivedMessages()[0];
  }

  private MimeMessage lastMail() {
    MimeMessage[] all = SMTP.getReceivedMessages();
    return all[all.length - 1];
  }

  private String subjectOf(MimeMessage mail) {
    try {
      return mail.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> addresses(MimeMessage mail) throws Exception {
    return Arrays.stream(mail.getRecipients(Message.RecipientType.TO))
        .map(Object::toString)
        .toList();
  }

  private String lastChatText() throws Exception {
    List<WebhookReceiver.Received> all = WEBHOOK.received();
    return JSON.readTree(all.get(all.size() - 1).body()).get("text").asText();
  }

  private List<JsonNode> auditOf(String requestId, String action) {
    return jdbc
        .queryForList(
            "select details from audit_event where request_id = ? and action = ? order by id",
            String.class,
            requestId,
            action)
        .stream()
        .map(
            text -> {
              try {
                return JSON.readTree(text);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The webhook's address is a secret: not in the audit trail, the failed jobs, or the log. */
  private void assertTheWebhookSecretIsNowhere(CapturedOutput output) {
    String secret = "s3cr3t-webhook-token";
    Assertions.assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_event where details like ?",
                Integer.class,
                "%" + secret + "%"))
        .isZero();
    Assertions.assertThat(
            jdbc.queryForObject(
                "select count(*) from act_ru_job where exception_msg_ like ?",
                Integer.class,
                "%" + secret + "%"))
        .isZero();
    for (Job job : management.createJobQuery().withException().list()) {
      Assertions.assertThat(management.getJobExceptionStacktrace(job.getId()))
          .doesNotContain(secret);
    }
    Assertions.assertThat(output.getAll()).doesNotContain(secret).doesNotContain(WEBHOOK.url());
  }
}
