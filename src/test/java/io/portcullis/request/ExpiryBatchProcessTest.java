package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.core.DirContextAdapter;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * Expiries due together on one target, revoked by the first revoke step to run in one call of the
 * connector ({@link ExpiriesTogether}): each request still ends EXPIRED with its own audit event
 * and through its own instance, and a batch that fails, or whose transaction was lost after the
 * directory changed, leaves each request to its own revoke.
 */
@PortcullisTest
class ExpiryBatchProcessTest extends ProcessFixture {

  static final String STAGING = "cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo";
  static final String PLACEHOLDER = "cn=empty-group-placeholder,dc=portcullis,dc=demo";
  static final List<String> PEOPLE = List.of("alice", "olivia", "carol", "dave", "frank");

  @Autowired LdapGroupConnector ldapGroups;
  @Autowired MeterRegistry meters;

  @Test
  void fiveExpiriesOnOneGroupAreOneCallAndEachEndsOnItsOwn() {
    // erin held the group before her grant: she keeps it
    ldapGroups.grant(Username.of("erin"), Target.of(STAGING));
    List<ProcessInstance> grants = new ArrayList<>();
    for (String person : PEOPLE) {
      grants.add(granted(person, "staging-db-admin"));
    }
    ProcessInstance standing = granted("erin", "staging-db-admin");
    assertThat(request(standing).accessPreexisted()).isTrue();
    long batches = calls("batch-revoke");
    long singles = calls("revoke");

    moveClockTo(T0.plus(Duration.ofHours(1)));
    grants.forEach(this::runJob); // each timer fires: each instance waits at its own revoke
    runJob(standing);
    runJob(grants.get(0));

    assertThat(calls("batch-revoke") - batches).as("batch calls").isEqualTo(1);
    assertThat(calls("revoke") - singles).as("single revokes").isZero();
    for (ProcessInstance pi : grants) {
      assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
    }
    // the others' steps find their requests ended and owe nothing
    grants.subList(1, grants.size()).forEach(this::runJob);
    runJob(standing);

    assertThat(calls("revoke") - singles).as("single revokes").isZero();
    for (ProcessInstance pi : grants) {
      assertThat(pi).isEnded().hasPassed(AccessProcess.TASK_REVOKE, "endEvent_accessEnded");
      assertThat(request(pi).endedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
      assertThat(actionsOf(pi)).filteredOn("access.expired"::equals).hasSize(1);
      assertThat(ldapGroups.holds(Username.of(request(pi).requester().value()), Target.of(STAGING)))
          .isFalse();
    }
    assertThat(standing).isEnded();
    assertThat(request(standing).status()).isEqualTo(RequestStatus.EXPIRED);
    assertThat(ldapGroups.holds(Username.of("erin"), Target.of(STAGING)))
        .as("standing membership is not Portcullis' to remove")
        .isTrue();
    assertThat(memberValues(STAGING))
        .containsExactlyInAnyOrder(PLACEHOLDER, "uid=erin,ou=people,dc=portcullis,dc=demo");
  }

  @Test
  void aGrantWhoseEndIsStillAheadIsLeftToItsOwnTimer() {
    ProcessInstance first = granted("alice", "staging-db-admin");
    moveClockTo(T0.plusSeconds(1));
    ProcessInstance later = granted("olivia", "staging-db-admin");

    moveClockTo(T0.plus(Duration.ofHours(1)));
    runJob(first);
    runJob(first);

    assertThat(first).isEnded();
    assertThat(request(later).status())
        .as("its end may still be extended")
        .isEqualTo(RequestStatus.ACTIVE);
    assertThat(ldapGroups.holds(Username.of("olivia"), Target.of(STAGING))).isTrue();
  }

  @Test
  void aBatchThatFailsLeavesEachToItsOwnRevokeRetriesAndEnd() {
    createUnreliableTarget(true);
    List<ProcessInstance> grants = new ArrayList<>();
    for (String person : PEOPLE.subList(0, 3)) {
      grants.add(granted(person, "unreliable-group"));
    }
    moveClockTo(T0.plus(Duration.ofHours(1)));
    grants.forEach(this::runJob);
    long failedBatches = calls("batch-revoke", "failure");
    removeUnreliableTarget(); // the directory cannot find the group: every call fails

    for (ProcessInstance pi : grants) {
      assertThatThrownBy(() -> runJob(pi)).hasMessageContaining("unreliable-group");
      assertThat(jobAt(pi, AccessProcess.TASK_REVOKE).getRetries())
          .as("its own retries")
          .isEqualTo(4);
      assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    }
    assertThat(calls("batch-revoke", "failure") - failedBatches).isEqualTo(3);

    createUnreliableTarget(true);
    for (ProcessInstance pi : grants) {
      management.executeJob(jobAt(pi, AccessProcess.TASK_REVOKE).getId());
    }
    for (ProcessInstance pi : grants) {
      assertThat(pi).isEnded();
      assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
      assertThat(actionsOf(pi)).filteredOn("access.expired"::equals).hasSize(1);
    }
  }

  /**
   * The batch's transaction lost after its modify reached the directory (a node killed before the
   * commit): the members are gone and every request is still ACTIVE. The next run reads the group
   * back, removes nothing twice, and ends and audits each once.
   */
  @Test
  void aBatchWhoseCommitWasLostAfterTheModifyEndsEachOnceOnTheNextRun() {
    List<ProcessInstance> grants = new ArrayList<>();
    for (String person : PEOPLE.subList(0, 3)) {
      grants.add(granted(person, "staging-db-admin"));
    }
    moveClockTo(T0.plus(Duration.ofHours(1)));
    grants.forEach(this::runJob);
    // what the lost batch did: one modify deleting the three member values
    BasicAttribute values = new BasicAttribute("member");
    for (String person : PEOPLE.subList(0, 3)) {
      values.add("uid=" + person + ",ou=people,dc=portcullis,dc=demo");
    }
    ldap.modifyAttributes(
        LdapNameBuilder.newInstance(STAGING).build(),
        new ModificationItem[] {new ModificationItem(DirContext.REMOVE_ATTRIBUTE, values)});
    long singles = calls("revoke");

    grants.forEach(this::runJob);

    assertThat(calls("revoke") - singles).as("single revokes").isZero();
    for (ProcessInstance pi : grants) {
      assertThat(pi).isEnded();
      assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
      assertThat(actionsOf(pi)).filteredOn("access.expired"::equals).hasSize(1);
    }
    assertThat(memberValues(STAGING)).containsExactly(PLACEHOLDER);
  }

  /**
   * The batch's transaction rolled back after its modify reached the directory: ending one of the
   * others fails (an open extension of it whose instance is gone, so its lapse throws). Every
   * request is still ACTIVE and the members are gone; the step's retry reads the group back, finds
   * them absent, and ends and audits each once.
   */
  @Test
  void aBatchRolledBackAfterTheModifyEndsEachOnceWhenItRunsAgain() {
    List<ProcessInstance> grants = new ArrayList<>();
    for (String person : PEOPLE.subList(0, 3)) {
      grants.add(granted(person, "staging-db-admin"));
    }
    AccessRequest other = request(grants.get(1));
    jdbc.update(
        "insert into access_request (id, process_instance_id, requester, resource_id, connector, target, "
            + "duration, justification, ticket, status, requested_at, access_preexisted, extends_id) "
            + "values (?, 'no-such-instance', ?, 'staging-db-admin', 'ldap-group', ?, 'PT1H', 'more', "
            + "'OPS-42', 'PENDING', ?, false, ?)",
        UUID.randomUUID().toString(),
        other.requester().value(),
        STAGING,
        Timestamp.from(T0),
        other.id().value());
    moveClockTo(T0.plus(Duration.ofHours(1)));
    grants.forEach(this::runJob);

    assertThatThrownBy(() -> runJob(grants.get(0))).isNotNull();

    assertThat(memberValues(STAGING))
        .as("the modify reached the directory")
        .containsExactly(PLACEHOLDER);
    for (ProcessInstance pi : grants) {
      assertThat(request(pi).status()).as("rolled back").isEqualTo(RequestStatus.ACTIVE);
    }
    jdbc.update("delete from access_request where extends_id = ?", other.id().value());
    long batches = calls("batch-revoke");
    long singles = calls("revoke");

    management.executeJob(jobAt(grants.get(0), AccessProcess.TASK_REVOKE).getId());
    grants.subList(1, grants.size()).forEach(this::runJob);

    assertThat(calls("batch-revoke") - batches).isEqualTo(1);
    assertThat(calls("revoke") - singles).as("single revokes").isZero();
    for (ProcessInstance pi : grants) {
      assertThat(pi).isEnded();
      assertThat(request(pi).status()).isEqualTo(RequestStatus.EXPIRED);
      assertThat(actionsOf(pi)).filteredOn("access.expired"::equals).hasSize(1);
    }
    assertThat(memberValues(STAGING)).containsExactly(PLACEHOLDER);
  }

  private ProcessInstance granted(String requester, String resource) {
    ProcessInstance pi = approved(requester, resource, "PT1H");
    runJob(pi); // the check, and the access clock
    runJob(pi); // the grant
    assertThat(pi).isWaitingAt("gateway_awaitEnd");
    return pi;
  }

  private long calls(String operation) {
    return calls(operation, "success");
  }

  private long calls(String operation, String outcome) {
    Timer timer =
        meters
            .find("portcullis.connector.calls")
            .tags("connector", "ldap-group", "operation", operation, "outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private List<String> memberValues(String groupDn) {
    DirContextAdapter group =
        (DirContextAdapter) ldap.lookup(LdapNameBuilder.newInstance(groupDn).build());
    return List.of(group.getStringAttributes("member"));
  }
}
