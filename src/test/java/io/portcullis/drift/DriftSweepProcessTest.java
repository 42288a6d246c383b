package io.portcullis.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connector;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.ModificationItem;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.support.LdapNameBuilder;

/**
 * The drift sweep as a process, on the demo directory with the engine clock: staging-db-admin says
 * {@code on-drift: remove} in the test profile, prod-db-readonly {@code report}.
 */
@PortcullisTest
class DriftSweepProcessTest extends ProcessFixture {

  private static final Username DAVE = Username.of("dave");
  private static final Username CAROL = Username.of("carol");
  private static final Username ERIN = Username.of("erin");

  @Autowired Catalog catalog;
  @Autowired Connectors connectors;

  private long mark;

  @BeforeEach
  void markTheTrail() {
    Long last = jdbc.queryForObject("select coalesce(max(id), 0) from audit_event", Long.class);
    mark = last == null ? 0 : last;
  }

  @AfterEach
  void cleanUp() {
    for (String id : List.of("staging-db-admin", "prod-db-readonly")) {
      for (Username person : List.of(CAROL, DAVE, ERIN)) {
        connector().revoke(person, resource(id).target());
      }
    }
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(DriftProcess.KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
  }

  @Test
  void aMemberAddedByHandIsFoundAndRemovedAndTheTrailSaysWhy() {
    // by hand, with the LDAP API, as an administrator of the directory would
    ldap.modifyAttributes(
        LdapNameBuilder.newInstance(resource("staging-db-admin").target().value()).build(),
        new ModificationItem[] {
          new ModificationItem(
              DirContext.ADD_ATTRIBUTE,
              new BasicAttribute("member", "uid=dave,ou=people,dc=portcullis,dc=demo"))
        });
    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isTrue();

    sweep();

    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isFalse();
    assertThat(trail("dave", "staging-db-admin"))
        .containsExactly("access.drift-found", "access.drift-removed");
    assertThat(
            jdbc.queryForList(
                "select details from audit_event where subject = 'dave' and id > ?"
                    + " and action = 'access.drift-removed'",
                String.class,
                mark))
        .singleElement()
        .asString()
        .contains("neither a live grant nor the resource's standing list");
  }

  @Test
  void aStandingMemberIsUntouched() {
    // the test profile lets erin hold staging-db-admin standing
    connector().grant(ERIN, resource("staging-db-admin").target());
    connector().grant(DAVE, resource("staging-db-admin").target());

    sweep();

    assertThat(connector().holds(ERIN, resource("staging-db-admin").target())).isTrue();
    assertThat(trail("erin", "staging-db-admin")).isEmpty();
    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isFalse();
  }

  @Test
  void onReportTheMemberIsFoundAndStays() {
    connector().grant(DAVE, resource("prod-db-readonly").target());

    sweep();

    assertThat(connector().holds(DAVE, resource("prod-db-readonly").target())).isTrue();
    assertThat(trail("dave", "prod-db-readonly")).containsExactly("access.drift-found");
  }

  @Test
  void aGrantInFlightIsNeitherFoundNorRemoved() {
    ProcessInstance pi = approved("carol", "staging-db-admin", "PT1H");
    runJobAt(pi, AccessProcess.TASK_CHECK_STANDING);
    runJobAt(pi, AccessProcess.TASK_START_CLOCK);
    // the grant took; its step has not confirmed it yet
    connector().grant(CAROL, resource("staging-db-admin").target());

    sweep();

    assertThat(connector().holds(CAROL, resource("staging-db-admin").target())).isTrue();
    assertThat(trail("carol", "staging-db-admin")).isEmpty();
  }

  @Test
  void aSystemThatCannotBeReadIsAFindingOnTheLastAttemptAndTheOthersAreSwept() {
    createUnreliableTarget(false); // not a group: its members cannot be read
    connector().grant(DAVE, resource("staging-db-admin").target());

    sweep();

    assertThat(connector().holds(DAVE, resource("staging-db-admin").target())).isFalse();
    assertThat(
            jdbc.queryForList(
                "select action from audit_event where resource = 'unreliable-group' and id > ?",
                String.class,
                mark))
        .containsExactly("access.drift-found");
    assertThat(runtime.createIncidentQuery().processDefinitionKeyIn(DriftProcess.KEY).list())
        .isEmpty();
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(DriftProcess.KEY).count())
        .isZero();
  }

  /** Fires the cycle's timer and runs the sweep's jobs, moving the clock past each retry. */
  private void sweep() {
    Job timer =
        management.createJobQuery().processDefinitionKey(DriftProcess.KEY).timers().singleResult();
    management.executeJob(timer.getId());
    for (int i = 0; i < 100; i++) {
      List<Job> due =
          management.createJobQuery().processDefinitionKey(DriftProcess.KEY).executable().list();
      due = due.stream().filter(j -> !j.getId().equals(timer.getId())).toList();
      List<Job> waiting =
          management
              .createJobQuery()
              .processDefinitionKey(DriftProcess.KEY)
              .withRetriesLeft()
              .list()
              .stream()
              .filter(j -> j.getProcessInstanceId() != null)
              .toList();
      if (waiting.isEmpty()) {
        return;
      }
      if (due.isEmpty()) {
        ClockUtil.setCurrentTime(
            Date.from(ClockUtil.getCurrentTime().toInstant().plus(Duration.ofMinutes(2))));
        continue;
      }
      try {
        management.executeJob(due.get(0).getId());
      } catch (RuntimeException failedAttempt) {
        // retried after its cycle's wait
      }
    }
  }

  private List<String> trail(String subject, String resource) {
    return jdbc.queryForList(
        "select action from audit_event where subject = ? and resource = ? and id > ?"
            + " and action like 'access.drift-%' order by id",
        String.class, subject, resource, mark);
  }

  private Resource resource(String id) {
    return catalog.find(ResourceId.of(id)).orElseThrow();
  }

  private Connector connector() {
    return connectors.named(resource("staging-db-admin").connector());
  }
}
