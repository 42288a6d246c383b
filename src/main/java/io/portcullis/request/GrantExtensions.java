package io.portcullis.request;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves a live grant's end later by an approved extension (issue 29): the access is never revoked
 * in between and never granted a second time, so the connector is not called at all.
 *
 * <p>The read model's end and the expiry timer's due date move in one transaction (the engine joins
 * Spring's), under the person's access lock that every grant, check and revoke of the same access
 * takes: a crash leaves both as they were or both moved, and the move is refused once the grant has
 * ended or its end has come (the expiry timer due, or firing), so an extension never brings back
 * access that ended. The timer's due date is changed in place ({@code
 * ManagementService.setJobDuedate}) rather than remodelled as a timer recalculated from a variable:
 * the job is the one the process already waits on, and moving it keeps the model as it is. The
 * {@code expiresAt} variable moves with it, so a timer recalculated by an operator agrees.
 */
@Component
public class GrantExtensions {

  /** The expiry timers of jit-access: the one waiting after the grant, and the grant's boundary. */
  static final List<String> EXPIRY_TIMERS =
      List.of("timerEvent_accessExpired", "boundaryEvent_grantExpired");

  static final String APPROVAL_STAGES = "subProcess_approvalStages";
  static final String LAPSED_END = "endEvent_requestLapsed";

  private final AccessRequestRepository requests;
  private final Catalog catalog;
  private final ManagementService management;
  private final RuntimeService runtime;
  private final RequestEvents events;

  GrantExtensions(
      AccessRequestRepository requests,
      Catalog catalog,
      ManagementService management,
      RuntimeService runtime,
      RequestEvents events) {
    this.requests = requests;
    this.catalog = catalog;
    this.management = management;
    this.runtime = runtime;
    this.events = events;
  }

  /**
   * The longest an original grant and all its extensions may last together: the resource's {@code
   * max-total-duration} (by default twice its {@code max-duration}); for a grant of several
   * resources, which all end together, the smallest of theirs.
   */
  public Duration maxTotal(AccessRequest original) {
    return requests.partsOf(original).stream()
        .map(part -> catalog.find(part.resource()).orElseThrow().maxTotalDuration())
        .min(Duration::compareTo)
        .orElseThrow();
  }

  /** How long the grant lasts with {@code extra} added: from its clock's start to its new end. */
  public static Duration totalWith(AccessRequest original, Duration extra) {
    Instant from = original.startAt() != null ? original.startAt() : original.grantAttemptedAt();
    return Duration.between(from, original.expiresAt()).plus(extra);
  }

  /** Refuses an extension that would make the grant last longer than its resource allows. */
  public void checkTotal(AccessRequest original, Duration extra) {
    Duration total = totalWith(original, extra);
    if (total.compareTo(maxTotal(original)) > 0) {
      throw new InvalidInputException(
          AccessDuration.FIELD,
          "would make the grant last "
              + total
              + " in all, longer than "
              + original.resource()
              + " allows ("
              + maxTotal(original)
              + ")");
    }
  }

  /**
   * The grant ended: every extension of it still waiting for its decision lapses now, through its
   * process's own lapse (its approval stages end), so it is never granted after the end.
   */
  public void lapseOpenExtensionsOf(AccessRequest original) {
    for (AccessRequest extension : requests.openExtensionsOf(original.id())) {
      runtime
          .createProcessInstanceModification(extension.processInstanceId())
          .cancelAllForActivity(APPROVAL_STAGES)
          .startBeforeActivity(LAPSED_END)
          .execute();
    }
  }

  /** Whether this extension's grant is no longer live: it lapses rather than being cancelled. */
  boolean outlived(AccessRequest extension) {
    if (extension.extendsId() == null) {
      return false;
    }
    AccessRequest original = requests.find(extension.extendsId()).orElseThrow();
    return original.status() != RequestStatus.ACTIVE
        || !RequestLifecycle.now().isBefore(original.expiresAt());
  }

  /**
   * The rules of asking for an extension, checked when its request opens, at every door: the
   * requester's own live grant of the same resource, with no other extension of it open, within the
   * resource's total. Null when nothing is extended.
   *
   * @param extendsId the start variable {@code extends}
   */
  AccessRequest checkAsked(
      Object extendsId,
      Username requester,
      Resource resource,
      AccessDuration duration,
      Instant startAt) {
    // Tasklist's start form sends its empty "Extends request" field as an empty text: a new request
    if (extendsId == null || extendsId instanceof String text && text.isBlank()) {
      return null;
    }
    RequestId id = RequestId.of(AccessProcess.EXTENDS, String.valueOf(extendsId).strip());
    AccessRequest original =
        requests.find(id).orElseThrow(() -> new NotFoundException("no access request " + id));
    if (!original.requester().equals(requester)) {
      throw new RefusedException("only the requester of " + id + " may extend it");
    }
    if (!original.resource().equals(resource.id())) {
      throw new InvalidInputException(
          AccessProcess.RESOURCE, "must be the resource of the request extended");
    }
    if (startAt != null) {
      throw new InvalidInputException(
          AccessProcess.STARTS_AT, "an extension starts where its grant ends");
    }
    if (original.status() != RequestStatus.ACTIVE
        || !RequestLifecycle.now().isBefore(original.expiresAt())) {
      throw new ConflictException(
          "request " + id + " is " + original.status() + ": only an ACTIVE grant is extended");
    }
    if (requests.openExtensionOf(id)) {
      throw new ConflictException("request " + id + " has an extension waiting already");
    }
    checkTotal(original, duration.value());
    return original;
  }

  /**
   * Moves the grant's end by {@code extra}; a conflict when the grant is not ACTIVE any more or its
   * end has come, and then nothing moves.
   *
   * @return the grant's new end
   */
  @Transactional
  public Instant extend(RequestId id, Duration extra, String by) {
    return moveEnd(id, extra, by)
        .orElseThrow(
            () -> new ConflictException("request " + id + " has ended or is ending: not extended"));
  }

  /**
   * Moves the grant's end by {@code extra}, unless the grant is not ACTIVE any more or its end has
   * come (empty: nothing moved, the grant ends as planned).
   */
  @Transactional
  public Optional<Instant> moveEnd(RequestId id, Duration extra, String by) {
    AccessRequest seen = requests.find(id).orElseThrow();
    requests.lockAccessOf(seen);
    AccessRequest original = requests.find(id).orElseThrow();
    Instant now = RequestLifecycle.now();
    if (original.status() != RequestStatus.ACTIVE
        || original.expiresAt() == null
        || !now.isBefore(original.expiresAt())) {
      return Optional.empty();
    }
    checkTotal(original, extra);
    List<Job> timers =
        EXPIRY_TIMERS.stream()
            .flatMap(
                activity ->
                    management
                        .createJobQuery()
                        .processInstanceId(original.processInstanceId())
                        .timers()
                        .activityId(activity)
                        .list()
                        .stream())
            .toList();
    if (timers.isEmpty()
        || timers.stream().anyMatch(t -> !t.getDuedate().toInstant().isAfter(now))) {
      // the expiry is due or under way: the grant ends as planned
      return Optional.empty();
    }
    Instant newEnd = original.expiresAt().plus(extra);
    if (!requests.moveEnd(id, original.expiresAt(), newEnd)) {
      return Optional.empty();
    }
    for (Job timer : timers) {
      management.setJobDuedate(timer.getId(), Date.from(newEnd));
    }
    runtime.setVariable(original.processInstanceId(), AccessProcess.EXPIRES_AT, Date.from(newEnd));
    events.extended(original, by, extra, newEnd);
    return Optional.of(newEnd);
  }
}
