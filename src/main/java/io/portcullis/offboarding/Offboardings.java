package io.portcullis.offboarding;

import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.OffboardingId;
import io.portcullis.kernel.Username;
import io.portcullis.web.FreeText;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the doors of offboarding (the HR API, SCIM) do. Every door asks through here, so the rules
 * of an ask have one home: idempotence on the reference, one offboarding a person, a person the
 * directory knows, and a deactivation that means now. An ask, its evidence (the stored ask, the
 * audit event) and what it does to the saga (its start, or the message that moves its wait) commit
 * together: there is never a saga without its offboarding, a move audited but not made, or made but
 * not audited.
 */
@NamedInterface("asks")
@Service
public class Offboardings {

  static final int MAX_REASON = 1000;

  /**
   * A reference is the caller's key: printable, no spaces, bounded, so it can sit in a log line as
   * it is.
   */
  static final Pattern REFERENCE = Pattern.compile("[\\x21-\\x7E]{1,200}");

  /**
   * How far ahead an offboarding may be scheduled: beyond, it is more likely a typo than a plan.
   */
  static final Duration MAX_AHEAD = Duration.ofDays(366);

  /**
   * How often an ask is tried again after it lost a race (another ask, the saga's own timer) on the
   * same person.
   */
  private static final int ATTEMPTS = 3;

  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final KnownPeople people;
  private final RuntimeService runtime;
  private final ManagementService management;
  private final TransactionTemplate transaction;

  Offboardings(
      OffboardingRepository offboardings,
      OffboardingEvents events,
      KnownPeople people,
      RuntimeService runtime,
      ManagementService management,
      PlatformTransactionManager transactions) {
    this.offboardings = offboardings;
    this.events = events;
    this.people = people;
    this.runtime = runtime;
    this.management = management;
    this.transaction = new TransactionTemplate(transactions);
  }

  /**
   * Offboards {@code ask.username()} for the HR API, now or at {@code ask.effectiveAt()}. The same
   * reference twice is the same offboarding ({@code created} false), never a second saga. For a
   * person whose offboarding is SCHEDULED, an ask for now brings it forward to now and an ask for
   * an earlier time moves it there ({@code created} false; the move is an ask of its own, audited);
   * it is never moved later.
   *
   * @throws UnknownPersonException for a name the directory does not know (422)
   * @throws ConflictException when the person is being (or was) offboarded and this ask cannot move
   *     it, naming that offboarding
   */
  public Started start(String requestedBy, OffboardingAsk ask) {
    return ask(requestedBy, ask, Ask.Door.API);
  }

  /**
   * The identity provider deactivated {@code ask.username()}: a deactivation means now. It starts
   * their offboarding now, brings a SCHEDULED one forward to now, or joins the one under way or
   * completed, whatever its reference; a repeated deactivation changes nothing.
   *
   * @throws UnknownPersonException for a name the directory does not know
   */
  public Started deactivate(String requestedBy, OffboardingAsk ask) {
    if (ask.effectiveAt() != null) {
      throw new IllegalArgumentException("a deactivation is for now");
    }
    return ask(requestedBy, ask, Ask.Door.SCIM);
  }

  public Optional<Offboarding> find(OffboardingId id) {
    return offboardings.find(id);
  }

  public List<Offboarding> list(Username username, OffboardingStatus status, int page, int size) {
    return offboardings.list(username, status, page, size);
  }

  public long count(Username username, OffboardingStatus status) {
    return offboardings.count(username, status);
  }

  /**
   * Whether the person is frozen, or being frozen now: their offboarding runs or ran. A SCHEDULED
   * one does not count; the person still works until its effective time.
   */
  public boolean frozenOrFreezing(Username username) {
    return username != null && offboardings.frozenOrFreezing(username);
  }

  /**
   * Cancels a SCHEDULED offboarding before its effective time: its saga ends, nothing was done. An
   * offboarding that the identity provider asked for, or moved, is never cancelled here: a
   * deactivation is undone in the identity provider and the directory, not by HR.
   *
   * @throws NotFoundException for no such offboarding
   * @throws ConflictException when the identity provider asked for it or it is no longer SCHEDULED
   */
  public Offboarding cancel(String by, OffboardingId id) {
    Offboarding o = offboardings.find(id).orElseThrow(() -> missing(id));
    Optional<Ask> deactivation =
        offboardings.asks(id).stream().filter(a -> a.door() == Ask.Door.SCIM).findFirst();
    if (deactivation.isPresent()) {
      String which =
          switch (deactivation.get().outcome()) {
            case STARTED -> "started this offboarding";
            case MOVED_EARLIER -> "moved this offboarding earlier";
            case BROUGHT_FORWARD -> "brought this offboarding forward to now";
          };
      throw new ConflictException(
          "The identity provider deactivated "
              + o.username()
              + " ("
              + deactivation.get().by()
              + ", "
              + deactivation.get().at()
              + ", reference "
              + deactivation.get().reference()
              + "), which "
              + which
              + "; a deactivation cannot be cancelled here. Reactivate the person in the identity provider and the directory instead.");
    }
    if (o.status() != OffboardingStatus.SCHEDULED) {
      throw new ConflictException(
          "The offboarding is " + o.status() + "; only a SCHEDULED offboarding can be cancelled.");
    }
    try {
      transaction.executeWithoutResult(
          tx -> {
            if (!offboardings.markEnded(
                id,
                List.of(OffboardingStatus.SCHEDULED),
                OffboardingStatus.CANCELLED,
                now(),
                "cancelled by " + by)) {
              throw new ConflictException(
                  "The offboarding is no longer SCHEDULED and can no longer be cancelled.");
            }
            // in the same transaction: if the effective time came first, the saga has left the wait
            // and this fails
            runtime
                .createMessageCorrelation(OffboardingProcess.MESSAGE_CANCEL)
                .processInstanceId(offboardings.processInstanceOf(id))
                .correlate();
            events.cancelled(offboardings.find(id).orElseThrow(), by);
          });
    } catch (MismatchingMessageCorrelationException e) {
      throw new ConflictException(
          "The offboarding's effective time has come; it runs and can no longer be cancelled.");
    }
    return offboardings.find(id).orElseThrow();
  }

  static NotFoundException missing(OffboardingId id) {
    return new NotFoundException("No offboarding " + id + ".");
  }

  /**
   * The ask's name was checked by its door ({@link Username}); the rest of it here, in the order
   * the doors told it before.
   */
  private Started ask(String requestedBy, OffboardingAsk ask, Ask.Door door) {
    Username username = ask.username();
    String reason = FreeText.required("reason", ask.reason(), MAX_REASON);
    String reference = ask.reference();
    if (reference == null || !REFERENCE.matcher(reference).matches()) {
      throw new InvalidInputException(
          door == Ask.Door.SCIM ? "reference" : "hrReference",
          "must be 1 to 200 printable characters without spaces");
    }
    Instant now = now();
    if (ask.effectiveAt() != null && ask.effectiveAt().isAfter(now.plus(MAX_AHEAD))) {
      throw new InvalidInputException(
          "effectiveAt", "must be within " + MAX_AHEAD.toDays() + " days from now");
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.execute(
            tx ->
                decide(
                    requestedBy,
                    new OffboardingAsk(username, ask.effectiveAt(), reason, reference),
                    door));
      } catch (DuplicateKeyException
          | OptimisticLockingException
          | MismatchingMessageCorrelationException raced) {
        // another ask for the same reference or person, or the saga's own timer, committed first:
        // look again
        if (attempt == ATTEMPTS) {
          throw new ConflictException(
              "The offboarding of " + username + " changed while this ask was made; ask again.");
        }
      }
    }
  }

  /**
   * One ask, in one transaction. The person's open offboarding is read with its row locked, so an
   * ask decides on what the others committed: two asks for one person (SCIM and HR at once, on two
   * nodes) take turns, and the saga's timer, whose first act is to mark the offboarding started on
   * the same row, either committed before (the ask finds it IN_PROGRESS) or waits, then finds its
   * wait moved (the engine refuses its stale execution and the job is gone).
   */
  private Started decide(String requestedBy, OffboardingAsk ask, Ask.Door door) {
    Instant now = now();
    Optional<Started> same = sameReference(ask);
    if (same.isPresent()) {
      return same.get();
    }
    Optional<Offboarding> open = offboardings.lockOpenFor(ask.username());
    Offboarding earlier =
        open.orElseGet(() -> offboardings.findLatestFor(ask.username()).orElse(null));
    if (earlier == null) {
      return begin(requestedBy, ask, door, now);
    }
    boolean forNow = ask.effectiveAt() == null || !ask.effectiveAt().isAfter(now);
    if (earlier.status() == OffboardingStatus.SCHEDULED
        && (forNow || ask.effectiveAt().isBefore(earlier.effectiveAt()))) {
      return moveEarlier(
          earlier, requestedBy, ask, door, forNow ? now : ask.effectiveAt(), forNow, now);
    }
    if (door == Ask.Door.SCIM) {
      // under way, waiting for an admin, or completed: the person is frozen or being frozen;
      // nothing to change
      return new Started(earlier, false);
    }
    if (earlier.status() == OffboardingStatus.SCHEDULED) {
      throw new ConflictException(
          "The person's offboarding "
              + earlier.id()
              + " (reference "
              + earlier.reference()
              + ") is scheduled for "
              + earlier.effectiveAt()
              + ", earlier than asked; an offboarding is moved earlier, never moved later. To move it later, "
              + "cancel it and ask again.");
    }
    throw new ConflictException(
        "The person is "
            + (earlier.status().open() ? "already being offboarded" : "offboarded already")
            + ": offboarding "
            + earlier.id()
            + " (reference "
            + earlier.reference()
            + ", "
            + earlier.status()
            + ").");
  }

  /**
   * What an earlier ask with the same reference led to: the same answer, for the same person only.
   */
  private Optional<Started> sameReference(OffboardingAsk ask) {
    Optional<Offboarding> same =
        offboardings
            .askByReference(ask.reference())
            .flatMap(a -> offboardings.find(a.offboardingId()))
            .or(() -> offboardings.findByReference(ask.reference()));
    if (same.isPresent() && !same.get().username().sameAs(ask.username())) {
      throw new ConflictException(
          "The reference "
              + ask.reference()
              + " is offboarding "
              + same.get().id()
              + " of another person.");
    }
    return same.map(o -> new Started(o, false));
  }

  /** A new offboarding, for a person the directory knows, under the directory's name for them. */
  private Started begin(String requestedBy, OffboardingAsk ask, Ask.Door door, Instant now) {
    Username username =
        people
            .canonical(ask.username())
            .orElseThrow(
                () -> {
                  events.unknownPerson(requestedBy, door, ask.username(), ask.reference());
                  return new UnknownPersonException(ask.username());
                });
    Instant effectiveAt =
        ask.effectiveAt() == null || !ask.effectiveAt().isAfter(now) ? now : ask.effectiveAt();
    boolean scheduled = effectiveAt.isAfter(now);
    Offboarding o =
        new Offboarding(
            OffboardingId.random(),
            username,
            ask.reference(),
            ask.reason(),
            effectiveAt,
            scheduled ? OffboardingStatus.SCHEDULED : OffboardingStatus.IN_PROGRESS,
            requestedBy,
            now,
            scheduled ? null : now,
            null,
            null);
    offboardings.insert(o);
    offboardings.insertAsk(
        new Ask(
            o.id(),
            now,
            requestedBy,
            door,
            ask.reference(),
            ask.reason(),
            effectiveAt,
            Ask.Outcome.STARTED,
            null,
            now));
    events.requested(o, door);
    // the saga binds itself to the stored offboarding by its business key, in this transaction
    runtime.startProcessInstanceByKey(OffboardingProcess.KEY, o.id().value());
    return new Started(offboardings.find(o.id()).orElseThrow(), true);
  }

  /**
   * Moves a SCHEDULED offboarding earlier, to now or to {@code to}: the stored ask, the
   * offboarding's new effective time and the audit event, then the message that makes its saga
   * leave its wait, which reads the new time from what is stored here (processes/offboarding.bpmn,
   * "Effective time moved"). The saga refuses that message when no stored ask stands behind it, so
   * only this code path moves the wait.
   */
  private Started moveEarlier(
      Offboarding o,
      String requestedBy,
      OffboardingAsk ask,
      Ask.Door door,
      Instant to,
      boolean forNow,
      Instant now) {
    Ask move =
        new Ask(
            o.id(),
            now,
            requestedBy,
            door,
            ask.reference(),
            ask.reason(),
            to,
            forNow ? Ask.Outcome.BROUGHT_FORWARD : Ask.Outcome.MOVED_EARLIER,
            o.effectiveAt(),
            null);
    offboardings.insertAsk(move);
    if (!offboardings.moveEarlier(o.id(), to, forNow)) {
      // the row is locked: this happens only if it changed since it was read
      throw new OptimisticLockingException("offboarding " + o.id() + " changed while it was moved");
    }
    events.broughtForward(o, move);
    String saga = offboardings.processInstanceOf(o.id());
    if (runtime
            .createEventSubscriptionQuery()
            .processInstanceId(saga)
            .eventName(OffboardingProcess.MESSAGE_MOVED)
            .count()
        > 0) {
      runtime
          .createMessageCorrelation(OffboardingProcess.MESSAGE_MOVED)
          .processInstanceId(saga)
          .correlate();
    } else {
      movePreviousVersion(o, saga, to, now);
    }
    return new Started(offboardings.find(o.id()).orElseThrow(), false);
  }

  /**
   * A saga that started on a version of {@code offboarding.bpmn} from before "Effective time moved"
   * waits for its timer alone: that timer's due date is moved, by this code path only (the engine's
   * doors refuse it to everyone but admins), so a scheduled offboarding of before the upgrade is
   * brought forward too. While the offboarding is SCHEDULED and its row locked, the timer of its
   * effective time is the saga's only one.
   */
  private void movePreviousVersion(Offboarding o, String saga, Instant to, Instant now) {
    Job timer =
        saga == null
            ? null
            : management.createJobQuery().processInstanceId(saga).timers().singleResult();
    if (timer == null) {
      throw new OptimisticLockingException(
          "the saga of offboarding " + o.id() + " does not wait for its effective time");
    }
    management.setJobDuedate(timer.getId(), Date.from(to));
    offboardings.applyMoves(o.id(), now);
  }

  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }

  /** The offboarding an ask led to, and whether this ask created it. */
  @NamedInterface("asks")
  public record Started(Offboarding offboarding, boolean created) {}
}
