package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.portcullis.approval.Stage;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.naming.NamingEnumeration;
import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.core.AttributesMapper;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * A request for several resources (issue 29, item 4) through processes/jit-access.bpmn: one chain,
 * the union of the policy's stages for each resource, decides them all; they are granted together
 * and expire together; and when one grant runs out of retries, every other one is revoked and read
 * back and the request ends FAILED naming the one that failed. The job executor is off: each test
 * runs the jobs and moves the engine clock.
 */
@PortcullisTest
class BundleProcessTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final String PROD_DB = "cn=prod-db-readonly,ou=groups,dc=portcullis,dc=demo";
  static final String PROD_LOGS = "cn=prod-logs-readonly,ou=groups,dc=portcullis,dc=demo";
  static final String ALICE = "uid=alice,ou=people,dc=portcullis,dc=demo";

  @Autowired LdapGroupConnector ldapGroups;

  @AfterEach
  void revokeWhatTheTestsGranted() {
    for (String target : List.of(STAGING, PROD_DB, PROD_LOGS)) {
      ldapGroups.revoke(Username.of("alice"), Target.of(target));
    }
  }

  @Test
  void aBundleIsDecidedByOneChainGrantedTogetherAndExpiresTogether() {
    ProcessInstance pi =
        request("alice", Map.of(AccessProcess.BUNDLE, "incident-responder"), "PT1H");

    // prod-db-readonly asks team-leads then security, prod-logs-readonly team-leads: each group
    // once
    Assertions.assertThat(chain(pi).stages())
        .extracting(Stage::approverGroup, Stage::quorum)
        .containsExactly(Assertions.tuple("team-leads", 1), Assertions.tuple("security", 1));
    Assertions.assertThat(request(pi).bundle()).isEqualTo("incident-responder");
    Assertions.assertThat(requests.partsOf(request(pi)))
        .extracting(AccessRequest::resource)
        .containsExactly(ResourceId.of("prod-db-readonly"), ResourceId.of("prod-logs-readonly"));
    Assertions.assertThat(
            tasks.getVariableLocal(
                tasks.createTaskQuery().processInstanceId(pi.getId()).singleResult().getId(),
                AccessProcess.RESOURCE_NAME))
        .as("the approver reads every resource")
        .isEqualTo(
            "Production database, read-only; Production logs, read-only (bundle incident-responder)");
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    decide(pi, "carol", List.of("security"), "approve", null);
    assertThat(pi).isWaitingAt(AccessProcess.TASK_CHECK_STANDING);
    runJob(pi); // the check, and the access clock
    runJob(pi); // the grant

    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    Assertions.assertThat(holds(PROD_DB)).isTrue();
    Assertions.assertThat(holds(PROD_LOGS)).isTrue();
    AccessRequest active = request(pi);
    Assertions.assertThat(active.status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(active.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    Assertions.assertThat(
            management.createJobQuery().processInstanceId(pi.getId()).timers().count())
        .as("one expiry for the whole bundle")
        .isEqualTo(1);

    moveClockTo(T0.plus(Duration.ofHours(1)));
    runJobAt(pi, "timerEvent_accessExpired");
    runJob(pi);

    assertThat(pi).isEnded().hasPassed(AccessProcess.TASK_REVOKE, "endEvent_accessEnded");
    Assertions.assertThat(holds(PROD_DB)).isFalse();
    Assertions.assertThat(holds(PROD_LOGS)).isFalse();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(actionsOf(pi))
        .containsExactly(
            "access.requested",
            "access.decided",
            "access.decided",
            "access.granted",
            "access.expired");
    Assertions.assertThat(detailsOf(pi, "access.granted"))
        .contains("\"resources\":[\"prod-db-readonly\",\"prod-logs-readonly\"]");
  }

  @Test
  void aBundleWhoseSecondGrantRunsOutOfRetriesRevokesTheFirstAndEndsFailedNamingIt() {
    createUnreliableTarget(false);
    ProcessInstance pi =
        request(
            "alice", Map.of(AccessProcess.RESOURCES, "staging-db-admin,unreliable-group"), "PT1H");
    Assertions.assertThat(chain(pi).stages())
        .as("both ask team-leads: one stage")
        .extracting(Stage::approverGroup)
        .containsExactly("team-leads");
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    runJob(pi); // the check, and the access clock
    assertThat(pi).isWaitingAt(AccessProcess.TASK_GRANT);

    // the first attempts fail and are retried: staging-db-admin is granted each time, idempotently
    Job grant = jobAt(pi, AccessProcess.TASK_GRANT);
    assertThatThrownBy(() -> management.executeJob(grant.getId()))
        .isInstanceOf(RuntimeException.class);
    Assertions.assertThat(holds(STAGING))
        .as("granted, then rolled back only in Portcullis")
        .isTrue();
    moveClockTo(T0.plus(Duration.ofMinutes(1)));
    assertThatThrownBy(() -> management.executeJob(jobAt(pi, AccessProcess.TASK_GRANT).getId()))
        .isInstanceOf(RuntimeException.class);
    Assertions.assertThat(jobAt(pi, AccessProcess.TASK_GRANT).getRetries()).isEqualTo(1);
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.PENDING);

    // the last attempt: no incident; the way out revokes every resource
    moveClockTo(T0.plus(Duration.ofMinutes(2)));
    management.executeJob(jobAt(pi, AccessProcess.TASK_GRANT).getId());
    Assertions.assertThat(runtime.createIncidentQuery().processInstanceId(pi.getId()).count())
        .isZero();
    assertThat(pi).isWaitingAt(AccessProcess.TASK_REVOKE);
    runJob(pi);

    assertThat(pi)
        .isEnded()
        .hasPassed("boundaryEvent_grantFailed", AccessProcess.TASK_REVOKE, "endEvent_accessEnded");
    Assertions.assertThat(holds(STAGING)).as("the first grant is revoked, read back").isFalse();
    AccessRequest failed = request(pi);
    Assertions.assertThat(failed.status()).isEqualTo(RequestStatus.FAILED);
    Assertions.assertThat(failed.failedResource()).isEqualTo(ResourceId.of("unreliable-group"));
    Assertions.assertThat(failed.endReason())
        .startsWith("the grant of unreliable-group failed after every retry");
    Assertions.assertThat(failed.endedAt()).isNotNull();
    Assertions.assertThat(actionsOf(pi)).endsWith("access.failed");
    Assertions.assertThat(failed.grantUnconfirmed()).isFalse();
    Assertions.assertThat(requests.liveGrantsOf(Username.of("alice"), false))
        .as("nothing of it may be live: drift and offboarding never wait for it")
        .isEmpty();
    Assertions.assertThat(detailsOf(pi, "access.failed"))
        .contains("\"failedResource\":\"unreliable-group\"")
        .contains("\"accessRemoved\":true");
  }

  @Test
  void aGrantThatFailsHalfWayIsRetriedWhole_whatTheFirstAttemptGaveIsGivenOnceAndEndsWithTheRest() {
    createUnreliableTarget(false);
    ProcessInstance pi =
        request(
            "alice", Map.of(AccessProcess.RESOURCES, "staging-db-admin,unreliable-group"), "PT1H");
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    runJob(pi); // the check, and the access clock
    // the first attempt dies after staging-db-admin reached the directory, as a crash there would
    assertThatThrownBy(() -> runJobAt(pi, AccessProcess.TASK_GRANT))
        .isInstanceOf(RuntimeException.class);
    Assertions.assertThat(holds(STAGING)).isTrue();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.PENDING);

    createUnreliableTarget(true);
    moveClockTo(T0.plus(Duration.ofMinutes(1)));
    runJobAt(pi, AccessProcess.TASK_GRANT);

    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(request(pi).expiresAt())
        .as("counted from the first attempt")
        .isEqualTo(T0.plus(Duration.ofHours(1)));
    Assertions.assertThat(membersOf(STAGING, ALICE)).as("one membership, not two").isEqualTo(1);
    Assertions.assertThat(holds(UNRELIABLE)).isTrue();
    Assertions.assertThat(actionsOf(pi)).containsOnlyOnce("access.granted");

    moveClockTo(T0.plus(Duration.ofHours(1)));
    runJobAt(pi, "timerEvent_accessExpired");
    runJob(pi);
    Assertions.assertThat(holds(STAGING)).isFalse();
    Assertions.assertThat(holds(UNRELIABLE)).isFalse();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
  }

  @Test
  void standingAccessToOneResourceOfSeveralOutlivesTheirExpiry() {
    // alice is in staging-db-admin before Portcullis grants anything: standing, not Portcullis' own
    ldapGroups.grant(Username.of("alice"), Target.of(STAGING));
    ProcessInstance pi =
        request(
            "alice",
            Map.of(AccessProcess.RESOURCES, "staging-db-admin,prod-logs-readonly"),
            "PT1H");
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    drain();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    Assertions.assertThat(requests.partsOf(request(pi)))
        .extracting(AccessRequest::resource, AccessRequest::accessPreexisted)
        .containsExactly(
            Assertions.tuple(ResourceId.of("staging-db-admin"), true),
            Assertions.tuple(ResourceId.of("prod-logs-readonly"), false));

    moveClockTo(T0.plus(Duration.ofHours(1)));
    drain();

    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    Assertions.assertThat(holds(STAGING)).as("the standing membership stays").isTrue();
    Assertions.assertThat(holds(PROD_LOGS)).isFalse();
    Assertions.assertThat(detailsOf(pi, "access.expired"))
        .contains("staging-db-admin: standing access that predates this grant");
  }

  @Test
  void anExtensionOfSeveralIsBoundedByTheSmallestTotalOfThem() {
    // staging-db-admin allows PT16H in all, prod-logs-readonly PT8H: the grant ends as one
    ProcessInstance pi =
        request(
            "alice",
            Map.of(AccessProcess.RESOURCES, "staging-db-admin,prod-logs-readonly"),
            "PT4H");
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    drain();
    Assertions.assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);

    Map<String, Object> extension = variables("staging-db-admin", "PT5H");
    extension.put(AccessProcess.EXTENDS, pi.getBusinessKey());
    identity.setAuthentication("alice", List.of("developers"));
    try {
      assertThatThrownBy(
              () ->
                  runtime.startProcessInstanceByKey(
                      AccessProcess.KEY, "extension-of-" + pi.getBusinessKey(), extension))
          .rootCause()
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("duration")
          .hasMessageContaining("PT8H");
    } finally {
      identity.clearAuthentication();
    }
  }

  @Test
  void aResourcesListIsCheckedAsEveryDoorSendsIt() {
    assertRefused(Map.of(AccessProcess.RESOURCES, ""), "resources: names no resource");
    assertRefused(
        Map.of(AccessProcess.RESOURCES, "staging-db-admin,staging-db-admin"),
        "resources: names 'staging-db-admin' twice");
    assertRefused(
        Map.of(AccessProcess.RESOURCES, "staging-db-admin,wiki"),
        "resources: no resource 'wiki' in the catalog");
    assertRefused(
        Map.of(AccessProcess.RESOURCES, String.join(",", eleven())),
        "resources: names 11 resources; one request may ask for at most 10");
    assertRefused(
        Map.of(AccessProcess.BUNDLE, "on-call"), "bundle: no bundle 'on-call' in the catalog");
    assertRefused(
        Map.of(AccessProcess.BUNDLE, "incident-responder", AccessProcess.RESOURCE, "ci-api-key"),
        "resource: give exactly one of resource, resources and bundle");
    // deploy-api allows PT30M at most: the smallest max-duration bounds the request
    assertRefused(Map.of(AccessProcess.RESOURCES, "staging-db-admin,deploy-api"), "duration: ");
    Assertions.assertThat(
            jdbc.queryForObject("select count(*) from access_request_resource", Integer.class))
        .isZero();
  }

  private static List<String> eleven() {
    return IntStream.rangeClosed(1, 11).mapToObj(i -> "res-" + i).toList();
  }

  private void assertRefused(Map<String, Object> naming, String message) {
    assertThatThrownBy(() -> request("alice", naming, "PT1H"))
        .rootCause()
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message);
  }

  private int membersOf(String group, String member) {
    String[] members =
        ldap.lookup(
            LdapNameBuilder.newInstance(group).build(),
            (AttributesMapper<String[]>)
                attributes -> {
                  NamingEnumeration<?> values = attributes.get("member").getAll();
                  List<String> all = new ArrayList<>();
                  while (values.hasMore()) {
                    all.add(String.valueOf(values.next()));
                  }
                  return all.toArray(String[]::new);
                });
    return (int) Arrays.stream(members).filter(m -> m.equalsIgnoreCase(member)).count();
  }

  private boolean holds(String target) {
    return ldapGroups.holds(Username.of("alice"), Target.of(target));
  }

  private String detailsOf(ProcessInstance pi, String action) {
    return jdbc.queryForObject(
        "select details from audit_event where request_id = ? and action = ?",
        String.class,
        pi.getBusinessKey(),
        action);
  }
}
