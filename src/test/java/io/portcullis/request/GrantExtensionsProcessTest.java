package io.portcullis.request;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * A live grant's end moved by an approved extension ({@link GrantExtensions}): no gap, no second
 * membership, and never after the grant ended.
 */
@PortcullisTest
class GrantExtensionsProcessTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";

  @Autowired GrantExtensions extensions;
  @Autowired LdapGroupConnector ldapGroups;

  @AfterEach
  void revokeWhatTheTestsGranted() {
    ldapGroups.revoke(Username.of("alice"), Target.of(STAGING));
  }

  @Test
  void anExtensionOneSecondBeforeTheEnd_movesTheEndAndTheTimer_withNoGapAndNoDirectoryWrite() {
    ProcessInstance pi = granted("PT1H");
    Instant end = request(pi).expiresAt();
    moveClockTo(end.minusSeconds(1));
    String touched = groupModified();

    Instant newEnd = extensions.extend(request(pi).id(), Duration.ofMinutes(30), "bob");

    Assertions.assertThat(newEnd).isEqualTo(end.plus(Duration.ofMinutes(30)));
    Assertions.assertThat(request(pi).expiresAt()).isEqualTo(newEnd);
    Assertions.assertThat(timer(pi, "timerEvent_accessExpired").getDuedate().toInstant())
        .isEqualTo(newEnd);
    moveClockTo(end);
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(pi.getId()).executable().count())
        .as("nothing is due at the old end")
        .isZero();
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    Assertions.assertThat(groupModified())
        .as("the directory's group was not written: no revoke, no second membership")
        .isEqualTo(touched);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(actionsOf(pi))
        .containsExactly("access.requested", "access.decided", "access.granted", "access.extended");

    moveClockTo(newEnd);
    runJob(pi);
    runJob(pi);
    assertThat(pi).isEnded();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(request(pi).endedAt()).isEqualTo(newEnd);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void anExtensionAtTheEnd_isRefused_andTheGrantEndsOnTime() {
    ProcessInstance pi = granted("PT1H");
    Instant end = request(pi).expiresAt();
    moveClockTo(end);

    Assertions.assertThatThrownBy(
            () -> extensions.extend(request(pi).id(), Duration.ofMinutes(30), "bob"))
        .isInstanceOf(ConflictException.class);
    Assertions.assertThat(timer(pi, "timerEvent_accessExpired").getDuedate().toInstant())
        .isEqualTo(end);
    runJob(pi);
    runJob(pi);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(request(pi).endedAt()).isEqualTo(end);
    Assertions.assertThatThrownBy(
            () -> extensions.extend(request(pi).id(), Duration.ofMinutes(30), "bob"))
        .as("an ended grant is never extended")
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void theTotalIsBoundedByTwiceTheResourcesMaxDuration() {
    ProcessInstance pi = granted("PT8H");
    Instant end = request(pi).expiresAt();

    Assertions.assertThatThrownBy(
            () -> extensions.extend(request(pi).id(), Duration.ofHours(8).plusSeconds(1), "bob"))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e -> Assertions.assertThat(((InvalidInputException) e).field()).isEqualTo("duration"));
    Assertions.assertThat(request(pi).expiresAt()).isEqualTo(end);
    Assertions.assertThat(extensions.extend(request(pi).id(), Duration.ofHours(8), "bob"))
        .isEqualTo(end.plus(Duration.ofHours(8)));
  }

  @Test
  void anExtensionApprovedOneSecondBeforeTheEnd_extendsWithNoGapAndNoGroupModification() {
    ProcessInstance original = granted("PT1H");
    Instant end = request(original).expiresAt();
    moveClockTo(end.minusSeconds(60));
    ProcessInstance extension = askToExtend("alice", original, "PT30M");
    Assertions.assertThat(request(extension).extendsId()).isEqualTo(request(original).id());
    Assertions.assertThat(request(extension).status()).isEqualTo(RequestStatus.PENDING);
    assertThat(task(extension)).hasCandidateGroup("team-leads");
    String touched = groupModified();

    moveClockTo(end.minusSeconds(1));
    decide(extension, "bob", List.of("team-leads"), "approve", null);
    runJobAt(extension, AccessProcess.TASK_EXTEND_GRANT);

    assertThat(extension).isEnded().hasPassed("endEvent_grantExtended");
    Assertions.assertThat(request(extension).status()).isEqualTo(RequestStatus.EXTENDED);
    Instant newEnd = end.plus(Duration.ofMinutes(30));
    Assertions.assertThat(request(original).expiresAt()).isEqualTo(newEnd);
    Assertions.assertThat(timer(original, "timerEvent_accessExpired").getDuedate().toInstant())
        .isEqualTo(newEnd);
    moveClockTo(end);
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(original.getId()).executable().count())
        .as("no gap: nothing is due at the old end")
        .isZero();
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isTrue();
    Assertions.assertThat(groupModified())
        .as("zero group modifications: no revoke, no second membership")
        .isEqualTo(touched);
    Assertions.assertThat(actionsOf(original)).endsWith("access.granted", "access.extended");
    Assertions.assertThat(actionsOf(extension))
        .containsExactly("access.requested", "access.decided", "extension.applied");
  }

  @Test
  void anExtensionApprovedJustAfterTheEnd_lapses_andTheGrantEndsOnTime() {
    ProcessInstance original = granted("PT1H");
    Instant end = request(original).expiresAt();
    moveClockTo(end.minusSeconds(60));
    ProcessInstance extension = askToExtend("alice", original, "PT30M");
    decide(extension, "bob", List.of("team-leads"), "approve", null);

    // the approval's step is picked up only after the end
    moveClockTo(end.plusSeconds(1));
    runJobAt(extension, AccessProcess.TASK_EXTEND_GRANT);
    Assertions.assertThat(request(extension).status()).isEqualTo(RequestStatus.LAPSED);
    Assertions.assertThat(timer(original, "timerEvent_accessExpired").getDuedate().toInstant())
        .isEqualTo(end);
    runJob(original);
    runJob(original);
    Assertions.assertThat(request(original).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(request(original).endedAt()).isEqualTo(end.plusSeconds(1));
    Assertions.assertThat(request(original).expiresAt()).isEqualTo(end);
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void anExtensionStillOpenWhenItsGrantEnds_lapsesThen() {
    ProcessInstance original = granted("PT1H");
    Instant end = request(original).expiresAt();
    ProcessInstance extension = askToExtend("alice", original, "PT30M");

    moveClockTo(end);
    runJob(original);
    runJob(original);
    Assertions.assertThat(request(original).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(request(original).endedAt()).isEqualTo(end);

    assertThat(extension).isEnded().hasPassed("endEvent_requestLapsed");
    AccessRequest lapsed = request(extension);
    Assertions.assertThat(lapsed.status()).isEqualTo(RequestStatus.LAPSED);
    Assertions.assertThat(lapsed.endReason()).contains("ended before a decision");
    Assertions.assertThat(ldapGroups.holds(Username.of("alice"), Target.of(STAGING))).isFalse();
  }

  @Test
  void aDeniedExtension_leavesTheGrantToEndOnTime() {
    ProcessInstance original = granted("PT1H");
    Instant end = request(original).expiresAt();
    ProcessInstance extension = askToExtend("alice", original, "PT30M");
    decide(extension, "bob", List.of("team-leads"), "deny", "finish tomorrow");
    assertThat(extension).isEnded();
    Assertions.assertThat(request(extension).status()).isEqualTo(RequestStatus.DENIED);
    Assertions.assertThat(timer(original, "timerEvent_accessExpired").getDuedate().toInstant())
        .isEqualTo(end);
    Assertions.assertThat(request(original).expiresAt()).isEqualTo(end);
  }

  @Test
  void onlyTheRequesterExtends_onlyAnActiveGrant_once_andWithinTheTotal() {
    ProcessInstance original = granted("PT8H");
    Assertions.assertThatThrownBy(() -> askToExtend("bob", original, "PT1H"))
        .hasRootCauseInstanceOf(RefusedException.class);
    ProcessInstance first = askToExtend("alice", original, "PT8H");
    Assertions.assertThatThrownBy(() -> askToExtend("alice", original, "PT1H"))
        .as("one extension waits at a time")
        .hasRootCauseInstanceOf(ConflictException.class);
    decide(first, "bob", List.of("team-leads"), "approve", null);
    runJobAt(first, AccessProcess.TASK_EXTEND_GRANT);
    Assertions.assertThat(request(original).expiresAt()).isEqualTo(T0.plus(Duration.ofHours(16)));
    Assertions.assertThatThrownBy(() -> askToExtend("alice", original, "PT1M"))
        .hasRootCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("duration: would make the grant last PT16H1M");

    moveClockTo(T0.plus(Duration.ofHours(16)));
    runJob(original);
    runJob(original);
    Assertions.assertThat(request(original).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThatThrownBy(() -> askToExtend("alice", original, "PT1H"))
        .hasRootCauseInstanceOf(ConflictException.class);
  }

  private ProcessInstance askToExtend(String requester, ProcessInstance original, String duration) {
    Map<String, Object> variables = variables("staging-db-admin", duration);
    variables.remove(AccessProcess.TICKET);
    variables.put(AccessProcess.EXTENDS, original.getBusinessKey());
    identity.setAuthentication(requester, List.of("developers"));
    try {
      return runtime.startProcessInstanceByKey(
          AccessProcess.KEY, UUID.randomUUID().toString(), variables);
    } finally {
      identity.clearAuthentication();
    }
  }

  private ProcessInstance granted(String duration) {
    ProcessInstance pi = request("alice", "staging-db-admin", duration);
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    runJob(pi); // the check, and the access clock
    runJob(pi); // the grant
    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    return pi;
  }

  /** The group entry's last modification, as the directory records it (to the millisecond). */
  private String groupModified() {
    return ldap.lookup(
        LdapNameBuilder.newInstance(STAGING).build(),
        new String[] {"modifyTimestamp"},
        (AttributesMapper<String>)
            attributes -> String.valueOf(attributes.get("modifyTimestamp").get()));
  }
}
