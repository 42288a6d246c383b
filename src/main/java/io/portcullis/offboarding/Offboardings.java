package io.portcullis.offboarding;

import io.portcullis.security.Caller;
import io.portcullis.web.ApiException;
import io.portcullis.web.FreeText;
import io.portcullis.web.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the doors of offboarding (the HR API, SCIM) do. Every door asks through here, so the rules of
 * an ask (idempotence on the reference, one open offboarding a person) have one home. The stored
 * offboarding and its saga's start commit together: there is never a saga without its offboarding, nor
 * an offboarding that waits for a saga that was never started.
 */
@Service
public class Offboardings {

  static final int MAX_REASON = 1000;
  /** A reference is the caller's key: printable, no spaces, bounded, so it can sit in a log line as it is. */
  static final Pattern REFERENCE = Pattern.compile("[\\x21-\\x7E]{1,200}");
  private static final Pattern USERNAME = Pattern.compile(Caller.USERNAME_PATTERN);
  /** How far ahead an offboarding may be scheduled: beyond, it is more likely a typo than a plan. */
  static final Duration MAX_AHEAD = Duration.ofDays(366);

  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final RuntimeService runtime;
  private final TransactionTemplate transaction;

  Offboardings(OffboardingRepository offboardings, OffboardingEvents events, RuntimeService runtime,
      PlatformTransactionManager transactions) {
    this.offboardings = offboardings;
    this.events = events;
    this.runtime = runtime;
    this.transaction = new TransactionTemplate(transactions);
  }

  /**
   * Starts the offboarding of {@code ask.username()} for the HR API: the same reference twice is the same
   * offboarding ({@code created} false), never a second saga.
   *
   * @throws ApiException 409 when the person is already being offboarded under another reference, naming
   *     that offboarding
   */
  public Started start(String requestedBy, OffboardingAsk ask) {
    return ask(requestedBy, ask, false);
  }

  /**
   * Starts the offboarding of {@code ask.username()}, or joins the one that is already open for the
   * person, whatever its reference: what an identity provider's repeated deactivations need.
   */
  public Started startOrJoin(String requestedBy, OffboardingAsk ask) {
    return ask(requestedBy, ask, true);
  }

  public Optional<Offboarding> find(String id) {
    return offboardings.find(id);
  }

  public List<Offboarding> list(String username, OffboardingStatus status, int page, int size) {
    return offboardings.list(username, status, page, size);
  }

  public long count(String username, OffboardingStatus status) {
    return offboardings.count(username, status);
  }

  /**
   * Cancels a SCHEDULED offboarding before its effective time: its saga ends, nothing was done.
   *
   * @throws ApiException 404 for no such offboarding, 409 when it is no longer SCHEDULED
   */
  public Offboarding cancel(String by, String id) {
    Offboarding o = offboardings.find(id).orElseThrow(() -> missing(id));
    if (o.status() != OffboardingStatus.SCHEDULED) {
      throw ApiException.conflict("The offboarding is " + o.status() + "; only a SCHEDULED offboarding can be cancelled.");
    }
    try {
      transaction.executeWithoutResult(tx -> {
        if (!offboardings.markEnded(id, List.of(OffboardingStatus.SCHEDULED), OffboardingStatus.CANCELLED, now(), "cancelled by " + by)) {
          throw ApiException.conflict("The offboarding is no longer SCHEDULED and can no longer be cancelled.");
        }
        // in the same transaction: if the effective time came first, the saga has left the wait and this fails
        runtime.createMessageCorrelation(OffboardingProcess.MESSAGE_CANCEL).processInstanceId(offboardings.processInstanceOf(id)).correlate();
        events.cancelled(offboardings.find(id).orElseThrow(), by);
      });
    } catch (MismatchingMessageCorrelationException e) {
      throw ApiException.conflict("The offboarding's effective time has come; it runs and can no longer be cancelled.");
    }
    return offboardings.find(id).orElseThrow();
  }

  static ApiException missing(String id) {
    return ApiException.notFound("No offboarding " + id + ".");
  }

  private Started ask(String requestedBy, OffboardingAsk ask, boolean join) {
    String username = ask.username();
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new InvalidInputException("username", "must be a directory user name: letters, digits and . _ @ -, at most 64");
    }
    String reason = FreeText.required("reason", ask.reason(), MAX_REASON);
    String reference = ask.reference();
    if (reference == null || !REFERENCE.matcher(reference).matches()) {
      throw new InvalidInputException(join ? "reference" : "hrReference", "must be 1 to 200 printable characters without spaces");
    }
    Instant now = now();
    Instant effectiveAt = ask.effectiveAt() == null || !ask.effectiveAt().isAfter(now) ? now : ask.effectiveAt();
    if (effectiveAt.isAfter(now.plus(MAX_AHEAD))) {
      throw new InvalidInputException("effectiveAt", "must be within " + MAX_AHEAD.toDays() + " days from now");
    }
    Optional<Started> earlier = earlier(username, reference, join);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    boolean scheduled = effectiveAt.isAfter(now);
    Offboarding o = new Offboarding(UUID.randomUUID().toString(), username, reference, reason, effectiveAt,
        scheduled ? OffboardingStatus.SCHEDULED : OffboardingStatus.IN_PROGRESS, requestedBy, now, scheduled ? null : now, null, null);
    try {
      transaction.executeWithoutResult(tx -> {
        offboardings.insert(o);
        events.requested(o);
        // the saga binds itself to the stored offboarding by its business key, in this transaction
        runtime.startProcessInstanceByKey(OffboardingProcess.KEY, o.id());
      });
    } catch (DuplicateKeyException raced) {
      // another ask for the same reference or person committed first: answer as if it had come first
      return earlier(username, reference, join).orElseThrow(() -> raced);
    }
    return new Started(offboardings.find(o.id()).orElseThrow(), true);
  }

  /**
   * What an earlier ask already started: the same reference, or the person's offboarding that is open or
   * completed (joined, or a conflict). A person offboarded once stays frozen; asking again under another
   * reference is a mistake or a retry that lost its reference, never a second saga.
   */
  private Optional<Started> earlier(String username, String reference, boolean join) {
    Optional<Offboarding> same = offboardings.findByReference(reference);
    if (same.isPresent()) {
      if (!OffboardingRepository.key(same.get().username()).equals(OffboardingRepository.key(username))) {
        throw ApiException.conflict("The reference " + reference + " is offboarding " + same.get().id() + " of another person.");
      }
      return Optional.of(new Started(same.get(), false));
    }
    Optional<Offboarding> earlier = offboardings.findLatestFor(username);
    if (earlier.isPresent()) {
      if (join) {
        return Optional.of(new Started(earlier.get(), false));
      }
      throw ApiException.conflict("The person is " + (earlier.get().status().open() ? "already being offboarded" : "offboarded already")
          + ": offboarding " + earlier.get().id() + " (reference " + earlier.get().reference() + ", " + earlier.get().status() + ").");
    }
    return Optional.empty();
  }

  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }

  /** The offboarding an ask led to, and whether this ask created it. */
  public record Started(Offboarding offboarding, boolean created) {}
}
