package io.portcullis.request;

import io.portcullis.approval.Chain;
import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.context.Context;
import org.springframework.stereotype.Component;

/**
 * The audit events of an access request, each written in the transaction of the step it describes:
 * who asked and why, who decided, when access began and ended, and why it ended.
 */
@Component
public class RequestEvents {

  private final AuditTrail trail;
  private final RequestMetrics metrics;
  private final RequestNotices notices;
  private final AccessRequestRepository requests;

  RequestEvents(
      AuditTrail trail,
      RequestMetrics metrics,
      RequestNotices notices,
      AccessRequestRepository requests) {
    this.requests = requests;
    this.trail = trail;
    this.metrics = metrics;
    this.notices = notices;
  }

  /**
   * Who asked, for what and why, what looked unusual, and the stages the policy chose (none:
   * approval waived).
   */
  void requested(AccessRequest r, Chain chain) {
    AuditEvent.Draft draft = about(r, r.requester().value(), AuditAction.ACCESS_REQUESTED);
    if (r.startAt() != null) {
      draft = draft.detail("startAt", r.startAt().toString());
    }
    draft = several(draft, r);
    if (r.bundle() != null) {
      draft = draft.detail("bundle", r.bundle());
    }
    trail.record(
        draft
            .detail("duration", r.duration().toString())
            .detail("justification", r.justification())
            .detail("ticket", r.ticket())
            .detail("flags", r.flags().stream().map(Enum::name).toList())
            .detail("policy", chain.policy())
            .detail(
                "stages",
                chain.stages().stream()
                    .map(
                        s ->
                            Map.of(
                                "stage",
                                s.position(),
                                "approverGroup",
                                s.approverGroup(),
                                "quorum",
                                s.quorum()))
                    .toList()));
  }

  /**
   * A break-glass: taken at once with its ticket and justification; the skipped chain's groups are
   * told, and its first group reviews it.
   */
  void brokeGlass(
      AccessRequest r, String policy, Collection<String> skippedGroups, String reviewGroup) {
    trail.record(
        about(r, r.requester().value(), AuditAction.ACCESS_BREAK_GLASS)
            .detail("ticket", r.ticket())
            .detail("justification", r.justification())
            .detail("duration", r.duration().toString())
            .detail("policy", policy)
            .detail("skippedGroups", List.copyOf(skippedGroups))
            .detail("reviewGroup", reviewGroup));
    notices.brokeGlass(r, skippedGroups, reviewGroup);
  }

  /** A break-glass was reviewed: kept, or revoked (its access ends, its requester is flagged). */
  void breakGlassReviewed(
      AccessRequest r, String reviewer, BreakGlassReviews.Outcome outcome, String comment) {
    trail.record(
        about(r, reviewer, AuditAction.BREAK_GLASS_REVIEWED)
            .detail("outcome", outcome.name())
            .detail("comment", comment));
  }

  /** Nobody reviewed a break-glass by its deadline: the admins may review it too, and are told. */
  void breakGlassReviewEscalated(AccessRequest r, String adminGroup, String reviewGroup) {
    trail.record(
        about(r, AuditEvent.SYSTEM, AuditAction.BREAK_GLASS_REVIEW_ESCALATED)
            .detail("reviewGroup", reviewGroup)
            .detail("escalatedTo", adminGroup));
    notices.breakGlassReviewOverdue(r, adminGroup, reviewGroup);
  }

  void closed(AccessRequest r, RequestStatus status, String by, String reason) {
    String action =
        switch (status) {
          case DENIED -> AuditAction.ACCESS_DENIED;
          case LAPSED -> AuditAction.ACCESS_LAPSED;
          default -> AuditAction.ACCESS_CANCELLED;
        };
    trail.record(about(r, by == null ? AuditEvent.SYSTEM : by, action).detail("reason", reason));
    notices.closed(r, status, by, reason);
  }

  void granted(AccessRequest r, Instant grantedAt, Instant expiresAt) {
    trail.record(
        several(about(r, AuditEvent.SYSTEM, AuditAction.ACCESS_GRANTED), r)
            .detail("connector", r.connector())
            .detail("target", r.target())
            .detail(
                "grantAttemptedAt",
                r.grantAttemptedAt() == null ? null : r.grantAttemptedAt().toString())
            .detail("grantedAt", grantedAt.toString())
            .detail("expiresAt", expiresAt.toString())
            .detail("accessPreexisted", r.accessPreexisted()));
    notices.granted(r, grantedAt, expiresAt);
  }

  /** An approved extension was applied: the grant it extends ends later. */
  void extensionApplied(AccessRequest extension, Instant newEnd) {
    trail.record(
        about(extension, AuditEvent.SYSTEM, AuditAction.EXTENSION_APPLIED)
            .detail("extends", extension.extendsId().value())
            .detail("expiresAt", newEnd.toString()));
  }

  void extended(AccessRequest r, String by, Duration extra, Instant newEnd) {
    trail.record(
        about(r, by, AuditAction.ACCESS_EXTENDED)
            .detail("extension", extra.toString())
            .detail("previousExpiresAt", r.expiresAt().toString())
            .detail("expiresAt", newEnd.toString()));
  }

  /**
   * The access ended and the target confirmed it. {@code grantConfirmed} false: the grant was
   * attempted and never confirmed (its answer was lost, or it was still being retried), so whatever
   * it may have given was revoked all the same (docs/architecture.md, rule 13).
   */
  void ended(
      AccessRequest r, RequestStatus outcome, String by, String reason, String accessKeptBecause) {
    if (outcome == RequestStatus.EXPIRED) {
      metrics.expired(r, RequestLifecycle.now());
    }
    trail.record(
        several(
                about(
                    r,
                    by == null ? AuditEvent.SYSTEM : by,
                    switch (outcome) {
                      case EXPIRED -> AuditAction.ACCESS_EXPIRED;
                      case FAILED -> AuditAction.ACCESS_FAILED;
                      default -> AuditAction.ACCESS_REVOKED;
                    }),
                r)
            .detail("reason", reason)
            .detail(
                "failedResource", r.failedResource() == null ? null : r.failedResource().value())
            .detail("connector", r.connector())
            .detail("target", r.target())
            .detail("grantConfirmed", r.grantedAt() != null)
            .detail("accessRemoved", accessKeptBecause == null)
            .detail("accessKeptBecause", accessKeptBecause));
    notices.ended(r, outcome, by, reason);
  }

  /**
   * One attempt of a step against a target system failed; the engine retries it while retries are
   * left.
   */
  void stepFailed(AccessRequest r, String step, int retriesLeft, String error) {
    trail.record(
        about(r, AuditEvent.SYSTEM, AuditAction.CONNECTOR_FAILED)
            .detail("step", step)
            .detail("connector", r.connector())
            .detail("retriesLeft", retriesLeft)
            .detail("error", error));
  }

  /**
   * A step ran out of retries (an incident in Cockpit, a task for a person), or an operator
   * resolved it.
   */
  void incident(AccessRequest r, String step, boolean created, String error) {
    trail.record(
        about(
                r,
                AuditEvent.SYSTEM,
                created ? AuditAction.INCIDENT_CREATED : AuditAction.INCIDENT_RESOLVED)
            .detail("step", step)
            .detail("error", error));
  }

  /**
   * Someone tried what their role or the rules do not allow. Written on its own, since the refused
   * step's transaction rolls back.
   */
  public void refused(String actor, String attempted, AccessRequest r, String why) {
    trail.recordOnItsOwn(
        about(r, actor, AuditAction.ACTION_REFUSED)
            .detail("attempted", attempted)
            .detail("why", why));
  }

  /**
   * A step ran in an instance that did not open through Portcullis. Written on its own: the step's
   * transaction rolls back. The actor is whoever runs the step (an operator's retry, or the
   * system).
   */
  void unboundInstance(String processInstanceId, String step) {
    trail.recordOnItsOwn(
        AuditEvent.Draft.by(currentActor(), AuditAction.ACTION_REFUSED)
            .request((String) null, processInstanceId)
            .detail("attempted", step)
            .detail("why", "the process instance did not open through Portcullis"));
  }

  /**
   * A step that would change a target is not owed by its request; refused before any connector
   * call.
   */
  void stepNotOwed(AccessRequest r, String step, String why) {
    trail.recordOnItsOwn(
        about(r, currentActor(), AuditAction.ACTION_REFUSED)
            .detail("attempted", step)
            .detail("why", why));
  }

  private static String currentActor() {
    var context = Context.getCommandContext();
    var authentication = context == null ? null : context.getAuthentication();
    return authentication == null || authentication.getUserId() == null
        ? AuditEvent.SYSTEM
        : authentication.getUserId();
  }

  /**
   * For a request for several resources, every one of them ({@code resources}); the event's own
   * resource, connector and target are the first.
   */
  private AuditEvent.Draft several(AuditEvent.Draft draft, AccessRequest r) {
    List<AccessRequest> parts = requests.partsOf(r);
    return parts.size() == 1
        ? draft
        : draft.detail("resources", parts.stream().map(p -> p.resource().value()).toList());
  }

  private static AuditEvent.Draft about(AccessRequest r, String actor, String action) {
    return AuditEvent.Draft.by(actor, action)
        .subject(r.requester())
        .resource(r.resource())
        .request(r.id(), r.processInstanceId());
  }
}
