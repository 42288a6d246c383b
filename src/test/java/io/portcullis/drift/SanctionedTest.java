package io.portcullis.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.catalog.Standing;
import io.portcullis.connector.Connector;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.MemberListing;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What may hold a resource, read against the demo directory's real members: a member added by hand
 * is drift; a live grant, a grant in flight and a standing member are not.
 */
@PortcullisTest
class SanctionedTest extends ProcessFixture {

  private static final Username DAVE = Username.of("dave");
  private static final Username CAROL = Username.of("carol");
  private static final Username ALICE = Username.of("alice");
  private static final Username BOB = Username.of("bob");

  @Autowired Sanctioned sanctioned;
  @Autowired Catalog catalog;
  @Autowired Connectors connectors;
  @Autowired TransactionTemplate transactions;

  private Resource stagingDb;
  private Connector connector;

  @BeforeEach
  void stagingDb() {
    stagingDb = catalog.find(ResourceId.of("staging-db-admin")).orElseThrow();
    connector = connectors.named(stagingDb.connector());
  }

  @AfterEach
  void removeEveryMember() {
    for (Username person : List.of(ALICE, BOB, CAROL, DAVE)) {
      connector.revoke(person, stagingDb.target());
    }
    connector.revoke(ALICE, Target.of("cn=prod-logs-readonly,ou=groups,dc=portcullis,dc=demo"));
  }

  @Test
  void aMemberAddedByHandIsDriftAndAGrantedOneIsNot() {
    ProcessInstance pi = approved("alice", "staging-db-admin", "PT1H");
    drain();
    assertThat(request(pi).status().name()).isEqualTo("ACTIVE");
    connector.grant(DAVE, stagingDb.target()); // by hand, outside Portcullis

    SortedSet<Username> holders = members();

    assertThat(holders).contains(ALICE, DAVE);
    assertThat(sanctioned.drift(stagingDb, holders)).containsExactly(DAVE);
    assertThat(allowsNow(ALICE)).isTrue();
    assertThat(allowsNow(DAVE)).isFalse();
  }

  @Test
  void everyResourceOfALiveGrantForSeveralIsSanctioned() {
    // staging-db-admin is the second of two: the request's own resource is prod-logs-readonly
    ProcessInstance pi =
        request(
            "alice",
            Map.of(AccessProcess.RESOURCES, "prod-logs-readonly,staging-db-admin"),
            "PT1H");
    decide(pi, "bob", List.of("team-leads"), "approve", null);
    drain();
    assertThat(request(pi).status().name()).isEqualTo("ACTIVE");
    connector.grant(DAVE, stagingDb.target()); // by hand, outside Portcullis

    assertThat(sanctioned.drift(stagingDb, members())).containsExactly(DAVE);
    assertThat(allowsNow(ALICE)).isTrue();
  }

  @Test
  void aGrantAttemptedAndNotYetConfirmedIsNotDrift() {
    ProcessInstance pi = approved("carol", "staging-db-admin", "PT1H");
    runJobAt(pi, AccessProcess.TASK_CHECK_STANDING); // and the access clock
    // the grant took in the directory; its step has not confirmed it yet
    connector.grant(CAROL, stagingDb.target());
    connector.grant(DAVE, stagingDb.target());

    assertThat(sanctioned.drift(stagingDb, members())).containsExactly(DAVE);
    assertThat(allowsNow(CAROL)).isTrue();
  }

  @Test
  void aStandingMemberByNameOrByGroupIsNotDrift() {
    connector.grant(CAROL, stagingDb.target());
    connector.grant(DAVE, stagingDb.target());
    connector.grant(BOB, stagingDb.target());
    Resource carolStands = withStanding(new Standing(List.of(CAROL), List.of()));
    // the demo directory has bob among its team leads
    Resource teamLeadsStand = withStanding(new Standing(List.of(), List.of("team-leads")));

    assertThat(sanctioned.drift(carolStands, members())).containsExactly(BOB, DAVE);
    assertThat(sanctioned.drift(teamLeadsStand, members())).containsExactly(CAROL, DAVE);
    assertThat(sanctioned.drift(stagingDb, members())).containsExactly(BOB, CAROL, DAVE);
  }

  /** Asked in a transaction, as a removal step asks it. */
  private boolean allowsNow(Username person) {
    Boolean allowed = transactions.execute(t -> sanctioned.allowsNow(stagingDb, person));
    return Boolean.TRUE.equals(allowed);
  }

  private SortedSet<Username> members() {
    return connectors
        .named(stagingDb.connector(), MemberListing.class)
        .orElseThrow()
        .members(stagingDb.target());
  }

  private Resource withStanding(Standing standing) {
    return new Resource(
        stagingDb.id(),
        stagingDb.name(),
        stagingDb.description(),
        stagingDb.connector(),
        stagingDb.target(),
        stagingDb.minDuration(),
        stagingDb.maxDuration(),
        stagingDb.environment(),
        stagingDb.risk(),
        stagingDb.maxTotalDuration(),
        standing,
        stagingDb.onDrift());
  }
}
