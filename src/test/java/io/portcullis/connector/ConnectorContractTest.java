package io.portcullis.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The contract every connector keeps, against a real system of its kind: each connector's test
 * extends this and says how to read and change its system directly, past the connector. Every
 * assertion about the system reads it back from there, never only through the connector.
 *
 * <p>The connector is exercised as processes get it: from the {@link Connectors} registry, so
 * wrapped in {@link MeteredConnector}, which must neither change an answer nor hide a capability.
 * Tests of a capability the connector does not have are skipped (reported as such), not passed.
 */
public abstract class ConnectorContractTest {

  /** The connector under test, as its module builds it, unwrapped. */
  protected abstract Connector rawConnector();

  /** A target that exists and that neither {@link #person()} nor {@link #otherPerson()} holds. */
  protected abstract Target target();

  /** A second such target. */
  protected abstract Target otherTarget();

  /** A person who exists, holds neither target and can authenticate. */
  protected abstract Username person();

  /** Another such person. */
  protected abstract Username otherPerson();

  /** Whether the system itself, read past the connector, shows the person holding the target. */
  protected abstract boolean systemShowsHeld(Username username, Target target) throws Exception;

  /** Gives the access past the connector, as an administrator of the system would by hand. */
  protected abstract void grantByHand(Username username, Target target) throws Exception;

  /** Creates a person who holds nothing in the system, and returns their name. */
  protected abstract Username newPersonWithNothing() throws Exception;

  /** Everything the system holds, in a form that is equal exactly when nothing changed. */
  protected abstract Object systemState() throws Exception;

  /** Whether the person can authenticate to the system with their own credentials now. */
  protected abstract boolean canAuthenticate(Username username) throws Exception;

  private final MeterRegistry meters = new SimpleMeterRegistry();
  protected Connector connector;
  protected Connectors connectors;

  @BeforeEach
  void connectorFromTheRegistry() {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    beans.registerSingleton("meters", meters);
    connectors =
        new Connectors(
            List.of(rawConnector()), beans.getBeanProvider(MeterRegistry.class), event -> {});
    connector = connectors.named(rawConnector().name());
  }

  // --- the core contract

  @Test
  void grantingTwiceSucceedsAndTheAccessIsHeld() throws Exception {
    assertThat(systemShowsHeld(person(), target())).isFalse();

    connector.grant(person(), target());
    assertThat(systemShowsHeld(person(), target())).isTrue();
    assertThat(connector.holds(person(), target())).isTrue();

    assertThatCode(() -> connector.grant(person(), target())).doesNotThrowAnyException();
    assertThat(systemShowsHeld(person(), target())).isTrue();
    assertThat(connector.holds(person(), target())).isTrue();
    assertThat(connector.holds(person(), otherTarget())).isFalse();
  }

  @Test
  void revokingTwiceSucceedsAndTheAccessIsGone() throws Exception {
    connector.grant(person(), target());

    connector.revoke(person(), target());
    assertThat(systemShowsHeld(person(), target())).isFalse();
    assertThat(connector.holds(person(), target())).isFalse();

    assertThatCode(() -> connector.revoke(person(), target())).doesNotThrowAnyException();
    assertThat(systemShowsHeld(person(), target())).isFalse();
  }

  @Test
  void revokingWhatWasNeverHeldSucceedsAndChangesNothing() throws Exception {
    Object before = systemState();

    assertThatCode(() -> connector.revoke(person(), target())).doesNotThrowAnyException();

    assertThat(systemState()).isEqualTo(before);
  }

  /**
   * What Portcullis relies on when a grant's outcome is unknown (docs/architecture.md, rule 13):
   * its call failed, and the system may or may not have applied it later. The revoke that every way
   * out then runs ends with nothing held either way; a retried grant on top of the late one is one
   * grant, not two; and the read-back tells the state as the system has it, whatever the connector
   * was told.
   */
  @Test
  void aGrantWhoseAnswerWasLostIsUndoneByTheRevokeWhetherItTookOrNot() throws Exception {
    // it took: the system applied the write after its caller gave up
    grantByHand(person(), target());
    assertThat(connector.holds(person(), target())).isTrue();
    connector.revoke(person(), target());
    assertThat(systemShowsHeld(person(), target())).isFalse();
    assertThat(connector.holds(person(), target())).isFalse();

    // it did not take: the same revoke succeeds and changes nothing
    Object before = systemState();
    assertThatCode(() -> connector.revoke(person(), target())).doesNotThrowAnyException();
    assertThat(systemState()).isEqualTo(before);

    // a retry confirms a grant that the system applied late: held once, and one revoke takes it
    // away
    grantByHand(person(), target());
    Object lateGrant = systemState();
    connector.grant(person(), target());
    assertThat(systemState()).as("the retry changes nothing").isEqualTo(lateGrant);
    connector.revoke(person(), target());
    assertThat(systemShowsHeld(person(), target())).isFalse();
  }

  @Test
  void revokingFromOnePersonLeavesAnotherWhoHoldsTheSame() throws Exception {
    grantByHand(otherPerson(), target());
    connector.grant(person(), target());

    connector.revoke(person(), target());

    assertThat(systemShowsHeld(otherPerson(), target())).isTrue();
    assertThat(connector.holds(otherPerson(), target())).isTrue();
  }

  @Test
  void holdsReadsTheSystemNotWhatTheConnectorDid() throws Exception {
    assertThat(connector.holds(person(), target())).isFalse();

    grantByHand(person(), target());

    assertThat(connector.holds(person(), target())).isTrue();
  }

  /**
   * Filter and DN metacharacters, escapes, NUL, the empty name and a very long one: refused,
   * whether by the one pattern of names ({@link Username}), before any connector sees them, or by
   * the connector.
   */
  protected static Stream<String> hostileNames() {
    return Stream.of(
        "*",
        "*)(uid=*",
        "alice)(uid=*",
        "*)(objectClass=*",
        "al*",
        "\\",
        "\\\\",
        "\\2a",
        "bob\\",
        ",",
        "alice,ou=people",
        "uid=alice,ou=people,dc=portcullis,dc=demo",
        "alice\u0000",
        "\u0000",
        "",
        "a".repeat(10_000),
        "(|(uid=alice)(uid=bob))",
        "alice%00",
        "alice\n",
        "'; DROP TABLE x; --");
  }

  @ParameterizedTest(name = "user name \"{0}\"")
  @MethodSource("io.portcullis.connector.ConnectorContractTest#hostileNames")
  void aHostileUserNameIsRefusedAndChangesNothing(String hostile) throws Exception {
    Object before = systemState();

    assertRefused(() -> connector.grant(Username.of(hostile), target()));
    assertRefused(() -> connector.revoke(Username.of(hostile), target()));
    Throwable holds =
        catchThrowable(() -> assertThat(connector.holds(Username.of(hostile), target())).isFalse());
    assertThat(holds)
        .satisfiesAnyOf(t -> assertThat(t).isNull(), ConnectorContractTest::isARefusal);
    connector
        .capability(Discovery.class)
        .ifPresent(
            discovery -> {
              Throwable found =
                  catchThrowable(
                      () ->
                          assertThat(discovery.holdings(Username.of(hostile)))
                              .as("what '%s' holds", hostile)
                              .isEmpty());
              assertThat(found)
                  .satisfiesAnyOf(t -> assertThat(t).isNull(), ConnectorContractTest::isARefusal);
            });
    connector
        .capability(AccountControl.class)
        .ifPresent(
            control -> {
              assertRefused(() -> control.disable(Username.of(hostile)));
              assertRefused(() -> control.enable(Username.of(hostile)));
            });

    assertThat(systemState()).isEqualTo(before);
  }

  /** Target names that are malformed, patterns, or name nothing that exists. */
  protected Stream<String> hostileTargets() {
    return Stream.of("*", "*)(member=*", "\\", ",", "\u0000", "", "a".repeat(10_000));
  }

  @Test
  void aHostileTargetIsRefusedAndChangesNothing() throws Exception {
    Object before = systemState();
    for (String hostile : hostileTargets().toList()) {
      Throwable invalid = catchThrowable(() -> connector.validateTarget(Target.of(hostile)));
      if (invalid == null) {
        assertRefused(() -> connector.grant(person(), Target.of(hostile)));
      } else {
        assertThat(invalid)
            .as("validateTarget(%s)", hostile)
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThat(systemState()).as("after target '%s'", hostile).isEqualTo(before);
    }
  }

  // --- discovery, for connectors that have it

  @Test
  void theRegistryShowsExactlyTheCapabilitiesOfTheConnector() {
    for (Class<? extends Capability> capability :
        List.of(Discovery.class, MemberListing.class, AccountControl.class, BatchRevoke.class)) {
      boolean has = rawConnector().capability(capability).isPresent();
      assertThat(connectors.named(rawConnector().name(), capability).isPresent())
          .as(capability.getSimpleName())
          .isEqualTo(has);
      assertThat(connectors.withCapability(capability).keySet())
          .isEqualTo(has ? Set.of(rawConnector().name()) : Set.of());
    }
  }

  @Test
  void discoveryFindsWhatWasGrantedAndWhatWasSetUpByHand() throws Exception {
    Discovery discovery = capability(Discovery.class);
    connector.grant(person(), target());
    grantByHand(person(), otherTarget());

    SortedSet<Target> found = discovery.holdings(person());

    assertThat(found).hasSizeGreaterThanOrEqualTo(2);
    for (Target held : found) {
      assertThat(connector.holds(person(), held))
          .as("holds what discovery found: %s", held)
          .isTrue();
    }
    // what discovery answers is what revoke takes: revoking each of it leaves nothing
    for (Target held : found) {
      connector.revoke(person(), held);
    }
    assertThat(systemShowsHeld(person(), target())).isFalse();
    assertThat(systemShowsHeld(person(), otherTarget())).isFalse();
    assertThat(discovery.holdings(person())).isEmpty();
    assertThat(timerCount("discover")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void discoveryFindsNothingForAPersonWhoHoldsNothing() throws Exception {
    Discovery discovery = capability(Discovery.class);
    grantByHand(otherPerson(), target());

    assertThat(discovery.holdings(newPersonWithNothing())).isEmpty();
  }

  @Test
  void discoveryOfSomeoneTheSystemDoesNotKnowIsEmpty() {
    Discovery discovery = capability(Discovery.class);

    assertThat(discovery.holdings(Username.of("nobody-" + UUID.randomUUID()))).isEmpty();
  }

  // --- member listing, for connectors that have it

  @Test
  void memberListingFindsWhatWasGrantedAndWhatWasSetUpByHand() throws Exception {
    MemberListing listing = capability(MemberListing.class);
    connector.grant(person(), target());
    grantByHand(otherPerson(), target());

    SortedSet<Username> found = listing.members(target());

    assertThat(found).contains(person(), otherPerson());
    for (Username holder : found) {
      assertThat(connector.holds(holder, target()))
          .as("holds what was listed: %s", holder)
          .isTrue();
    }
    // what the listing answers is what revoke takes
    connector.revoke(person(), target());
    connector.revoke(otherPerson(), target());
    assertThat(systemShowsHeld(otherPerson(), target())).isFalse();
    assertThat(listing.members(target())).doesNotContain(person(), otherPerson());
    assertThat(timerCount("members")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void memberListingLeavesOutWhoHoldsAnotherTarget() throws Exception {
    MemberListing listing = capability(MemberListing.class);
    Username other = newPersonWithNothing();
    grantByHand(other, otherTarget());

    assertThat(listing.members(target())).doesNotContain(other);
    assertThat(listing.members(otherTarget())).contains(other);
  }

  // --- revoking several people at once, for connectors that have it

  @Test
  void aBatchRevokeTakesTheTargetFromEachAndLeavesEveryoneElse() throws Exception {
    BatchRevoke batch = capability(BatchRevoke.class);
    Username neverHeld = newPersonWithNothing();
    connector.grant(person(), target());
    grantByHand(otherPerson(), target());
    grantByHand(person(), otherTarget());

    var answer = batch.revokeAll(target(), new TreeSet<>(Set.of(person(), neverHeld)));

    assertThat(answer)
        .containsOnly(
            entry(person(), BatchRevoke.Revoked.REMOVED),
            entry(neverHeld, BatchRevoke.Revoked.ABSENT));
    assertThat(systemShowsHeld(person(), target())).isFalse();
    assertThat(systemShowsHeld(neverHeld, target())).isFalse();
    assertThat(systemShowsHeld(otherPerson(), target())).as("not in the batch").isTrue();
    assertThat(systemShowsHeld(person(), otherTarget())).as("another target").isTrue();
    assertThat(connector.holds(person(), target())).isFalse();
    assertThat(timerCount("batch-revoke")).isEqualTo(1);
  }

  @Test
  void aBatchRevokeOfSeveralHoldersRemovesEachAndRepeatedChangesNothing() throws Exception {
    BatchRevoke batch = capability(BatchRevoke.class);
    connector.grant(person(), target());
    grantByHand(otherPerson(), target());
    SortedSet<Username> both = new TreeSet<>(Set.of(person(), otherPerson()));

    assertThat(batch.revokeAll(target(), both))
        .containsOnly(
            entry(person(), BatchRevoke.Revoked.REMOVED),
            entry(otherPerson(), BatchRevoke.Revoked.REMOVED));
    assertThat(systemShowsHeld(person(), target())).isFalse();
    assertThat(systemShowsHeld(otherPerson(), target())).isFalse();
    Object before = systemState();

    var again = batch.revokeAll(target(), both);

    assertThat(again)
        .containsOnly(
            entry(person(), BatchRevoke.Revoked.ABSENT),
            entry(otherPerson(), BatchRevoke.Revoked.ABSENT));
    assertThat(systemState()).isEqualTo(before);
  }

  @Test
  void aBatchRevokeOfNobodyChangesNothing() throws Exception {
    BatchRevoke batch = capability(BatchRevoke.class);
    grantByHand(person(), target());
    Object before = systemState();

    assertThat(batch.revokeAll(target(), new TreeSet<>())).isEmpty();

    assertThat(systemState()).isEqualTo(before);
  }

  /**
   * A person the system does not know cannot hold the target, but their single revoke may fail (a
   * directory that finds no such person): either way the others of the batch still lose it.
   */
  @Test
  void aBatchRevokeAnswersForEachEvenWhenOneIsUnknownToTheSystem() throws Exception {
    BatchRevoke batch = capability(BatchRevoke.class);
    Username nobody = Username.of("nobody-" + UUID.randomUUID());
    connector.grant(person(), target());

    var answer = batch.revokeAll(target(), new TreeSet<>(Set.of(person(), nobody)));

    assertThat(answer).containsEntry(person(), BatchRevoke.Revoked.REMOVED).containsKey(nobody);
    assertThat(answer.get(nobody)).isIn(BatchRevoke.Revoked.ABSENT, BatchRevoke.Revoked.FAILED);
    assertThat(systemShowsHeld(person(), target())).isFalse();
  }

  // --- account control, for connectors that have it

  @Test
  void aDisabledPersonCannotAuthenticateUntilEnabledAndBothAreIdempotent() throws Exception {
    AccountControl control = capability(AccountControl.class);
    assertThat(canAuthenticate(person())).isTrue();
    assertThat(control.isDisabled(person())).isFalse();

    control.disable(person());
    assertThat(canAuthenticate(person())).isFalse();
    assertThat(control.isDisabled(person())).isTrue();

    assertThatCode(() -> control.disable(person())).doesNotThrowAnyException();
    assertThat(canAuthenticate(person())).isFalse();
    assertThat(control.isDisabled(person())).isTrue();

    control.enable(person());
    assertThat(canAuthenticate(person())).isTrue();
    assertThat(control.isDisabled(person())).isFalse();

    assertThatCode(() -> control.enable(person())).doesNotThrowAnyException();
    assertThat(canAuthenticate(person())).isTrue();
    assertThat(timerCount("disable")).isEqualTo(2);
    assertThat(timerCount("enable")).isEqualTo(2);
  }

  @Test
  void disablingOnePersonLeavesOthersAndWhatThePersonHolds() throws Exception {
    AccountControl control = capability(AccountControl.class);
    connector.grant(person(), target());

    control.disable(person());

    assertThat(canAuthenticate(otherPerson())).isTrue();
    assertThat(control.isDisabled(otherPerson())).isFalse();
    // disabling is not revoking: what is held stays for discovery to find and the revokes to remove
    assertThat(systemShowsHeld(person(), target())).isTrue();
    connector
        .capability(Discovery.class)
        .ifPresent(d -> assertThat(d.holdings(person())).isNotEmpty());
  }

  @Test
  void enablingAnAccountThatWasNeverDisabledChangesNothing() throws Exception {
    AccountControl control = capability(AccountControl.class);
    Object before = systemState();

    control.enable(person());

    assertThat(systemState()).isEqualTo(before);
    assertThat(canAuthenticate(person())).isTrue();
  }

  @Test
  void endingSessionsIsRepeatableAndAnswersTheSameFact() throws Exception {
    AccountControl control = capability(AccountControl.class);
    control.disable(person());

    boolean first = control.endSessions(person());
    boolean second = control.endSessions(person());

    assertThat(second).isEqualTo(first);
    assertThat(canAuthenticate(person())).isFalse();
  }

  /**
   * Whether every person Portcullis knows has an account in this system: true for a system whose
   * accounts are Portcullis' own (an api-key instance's holders), where disabling someone who never
   * held anything must still disable them, since they may be handed a credential later.
   */
  protected boolean everyPersonHasAnAccount() {
    return false;
  }

  @Test
  void accountControlOfSomeoneTheSystemDoesNotKnowFails() throws Exception {
    AccountControl control = capability(AccountControl.class);
    Username nobody = Username.of("nobody-" + UUID.randomUUID());
    if (everyPersonHasAnAccount()) {
      control.disable(nobody);
      assertThat(control.isDisabled(nobody)).isTrue();
      assertThat(canAuthenticate(nobody)).isFalse();
      return;
    }

    assertThatThrownBy(() -> control.disable(nobody))
        .isInstanceOf(ConnectorException.class)
        .hasMessageContaining(nobody.value());
    assertThatThrownBy(() -> control.isDisabled(nobody)).isInstanceOf(ConnectorException.class);
  }

  // --- helpers

  /**
   * The capability through the registry (so metered), or the test is skipped for this connector.
   */
  protected <C extends Capability> C capability(Class<C> type) {
    var found = connectors.named(rawConnector().name(), type);
    assumeTrue(found.isPresent(), () -> rawConnector().name() + " has no " + type.getSimpleName());
    return found.get();
  }

  private long timerCount(String operation) {
    var timer =
        meters
            .find(MeteredConnector.METER)
            .tags(
                "connector",
                rawConnector().name().value(),
                "operation",
                operation,
                "outcome",
                "success")
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private static void assertRefused(ThrowableAssert.ThrowingCallable call) {
    assertThat(catchThrowable(call)).satisfies(ConnectorContractTest::isARefusal);
  }

  private static void isARefusal(Throwable thrown) {
    assertThat(thrown)
        .as("refused")
        .isNotNull()
        .isInstanceOfAny(ConnectorException.class, IllegalArgumentException.class);
  }
}
