package io.portcullis.offboarding;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.OffboardingId;
import io.portcullis.kernel.Username;
import java.time.Instant;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Starts a round of the saga (the first, or an admin's retry) by looking the leaver up in the
 * directory. A person found is recorded under the directory's own name for them (one name per
 * person, rule 12 of docs/architecture.md) and frozen at once: from this step's commit, Portcullis
 * refuses them at every door. Each round has its number, so its evidence stays apart from the last;
 * a system whose connector cannot disable accounts is named in the round's evidence, not silently
 * skipped by the freeze.
 *
 * <p>The doors refuse a name the directory does not know, so a person missing here was removed from
 * the directory after the ask (a scheduled offboarding, say): that is a finding for an admin, never
 * an offboarding COMPLETED with nothing done, since Portcullis' own records or other systems may
 * still hold their access.
 */
@Component("findPerson")
class FindPerson implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final KnownPeople people;
  private final Connectors connectors;

  FindPerson(
      BoundOffboardings bound,
      OffboardingRepository offboardings,
      OffboardingEvents events,
      KnownPeople people,
      Connectors connectors) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.events = events;
    this.people = people;
    this.connectors = connectors;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_FIND_PERSON);
    Boolean foundBefore = offboardings.personFound(o.id());
    Optional<Username> canonical = people.canonical(o.username());
    boolean found = canonical.isPresent();
    Instant now = Offboardings.now();
    offboardings.markPerson(o.id(), canonical.orElse(o.username()), found);
    offboardings.markStarted(o.id(), now);
    int round = offboardings.nextRound(o.id());
    if (found) {
      // from this commit on, every door of Portcullis refuses them (LeaversFrozen), whatever the
      // systems say
      offboardings.markFrozen(o.id(), now);
      recordAccountsNotDisabled(offboardings, connectors, o.id(), round, canonical.get(), now);
    } else {
      offboardings.insertFinding(
          o.id(),
          round,
          Item.PORTCULLIS,
          "the directory no longer knows "
              + o.username()
              + ": nobody could be frozen, discovered or verified under that name",
          now);
    }
    if (!Boolean.valueOf(found).equals(foundBefore)) {
      // the first look-up, or one whose answer changed: a retry is audited as retried, not started
      // again
      events.started(offboardings.find(o.id()).orElseThrow(), found);
    }
  }

  /**
   * The round's evidence names each system whose connector cannot disable accounts, rather than
   * skipping it silently.
   */
  static void recordAccountsNotDisabled(
      OffboardingRepository offboardings,
      Connectors connectors,
      OffboardingId id,
      int round,
      Username username,
      Instant now) {
    var canDisable = connectors.withCapability(AccountControl.class).keySet();
    offboardings.insertItems(
        connectors.names().stream()
            .filter(system -> !canDisable.contains(system))
            .sorted()
            .map(
                system ->
                    Item.found(
                            id,
                            round,
                            Item.Kind.ACCOUNT,
                            system.value(),
                            username.value(),
                            null,
                            now)
                        .withHow(OffboardingSaga.NOT_DISABLED))
            .toList());
  }
}
