package io.portcullis.request;

import io.portcullis.approval.AskedFor;
import io.portcullis.approval.Chain;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.notification.Notice;
import io.portcullis.notification.Notice.Recipients;
import io.portcullis.notification.Notifications;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What a request tells people, and when (docs/notifications.md): its approvers that a task waits
 * for them, and its requester of each decision, of the grant and of the end. Nobody is told what
 * they did themselves (a requester's own cancel or revoke), and a deny is told once, as the
 * decision. Each call runs in the transaction of the step it belongs to, so a step that rolls back
 * tells nobody.
 */
@Component
public class RequestNotices {

  /** A break-glass took access at once; the chain it skipped is told. */
  static final String BREAK_GLASS_USED = "break-glass.used";

  /** A break-glass review passed its deadline; the admins are told. */
  static final String BREAK_GLASS_REVIEW_OVERDUE = "break-glass.review-overdue";

  private final Notifications notifications;

  RequestNotices(Notifications notifications) {
    this.notifications = notifications;
  }

  /**
   * An approval task of this request was created: the stage's groups and the delegates in force of
   * their members are told ({@code approvers}, from approval's {@code ApproversToTell}); the
   * requester is never told to decide. The subject and the facts name every resource asked ({@code
   * chain.asked()}), and the shortest duration approved so far, which the grant will use, beside
   * the duration asked when it is shorter.
   */
  public void approvalWaiting(
      AccessRequest r, Chain chain, Recipients approvers, Collection<String> approverGroups) {
    if (approverGroups.isEmpty()) {
      return;
    }
    AccessDuration grantedIfApproved = chain.approvedDuration();
    boolean shorter = grantedIfApproved.shorterThan(r.duration());
    String forWhom =
        " for "
            + r.requester()
            + " ("
            + (shorter ? grantedIfApproved + " of " + r.duration() + " asked" : r.duration())
            + ")";
    String verb = "Approve ";
    notifications.send(
        () ->
            facts(
                    Notice.of(
                        Notice.APPROVAL_WAITING,
                        r.id().value(),
                        approvers,
                        verb
                            + chain
                                .asked()
                                .named(Notice.MAX_SUBJECT - verb.length() - forWhom.length())
                            + forWhom),
                    r,
                    chain.asked())
                .fact("grantedIfApproved", shorter ? grantedIfApproved : null)
                .fact("approverGroup", String.join(", ", approverGroups))
                .justification(r.justification()));
  }

  /**
   * A break-glass took the access at once: every member of every group of the chain it skipped is
   * told (never the requester), with the ticket and the justification, and who reviews it.
   */
  void brokeGlass(AccessRequest r, Collection<String> skippedGroups, String reviewGroup) {
    notifications.send(
        () ->
            facts(
                    Notice.of(
                        BREAK_GLASS_USED,
                        r.id().value(),
                        new Recipients(
                            List.of(), List.copyOf(skippedGroups), Set.of(r.requester().value())),
                        r.requester()
                            + " broke glass: "
                            + r.resource()
                            + " for "
                            + r.duration()
                            + " without approval; "
                            + reviewGroup
                            + " reviews it"),
                    r)
                .fact("reviewGroup", reviewGroup)
                .justification(r.justification()));
  }

  /** Nobody reviewed a break-glass in time: the admins are told, and may review it now. */
  void breakGlassReviewOverdue(AccessRequest r, String adminGroup, String reviewGroup) {
    notifications.send(
        () ->
            facts(
                    Notice.of(
                        BREAK_GLASS_REVIEW_OVERDUE,
                        r.id().value(),
                        new Recipients(
                            List.of(), List.of(adminGroup), Set.of(r.requester().value())),
                        "Review overdue: "
                            + r.requester()
                            + " broke glass on "
                            + r.resource()
                            + "; "
                            + reviewGroup
                            + " has not reviewed it"),
                    r)
                .fact("reviewGroup", reviewGroup)
                .justification(r.justification()));
  }

  void granted(AccessRequest r, Instant grantedAt, Instant expiresAt) {
    notifications.send(
        () ->
            facts(
                    Notice.of(
                        Notice.ACCESS_GRANTED,
                        r.id().value(),
                        Recipients.users(r.requester().value()),
                        "Access to " + r.resource() + " granted until " + expiresAt),
                    r)
                .fact("grantedAt", grantedAt)
                .fact("expiresAt", expiresAt));
  }

  /**
   * A request ended without access; a deny was told as its decision, a requester's own cancel is
   * not told.
   */
  void closed(AccessRequest r, RequestStatus status, String by, String reason) {
    if (status == RequestStatus.DENIED || r.requester().value().equals(by)) {
      return;
    }
    String what =
        status == RequestStatus.LAPSED
            ? "lapsed: nobody decided in time"
            : "was " + status.name().toLowerCase() + " by " + by;
    notifications.send(
        () ->
            ending(
                facts(
                        Notice.of(
                            Notice.REQUEST_CLOSED,
                            r.id().value(),
                            Recipients.users(r.requester().value()),
                            "Your request for " + r.resource() + " " + what),
                        r)
                    .fact("status", status.name()),
                by,
                reason));
  }

  /** Active access ended: expired, or revoked by someone other than the requester. */
  void ended(AccessRequest r, RequestStatus outcome, String by, String reason) {
    if (r.requester().value().equals(by)) {
      return;
    }
    String what =
        switch (outcome) {
          case EXPIRED -> "expired";
          case FAILED ->
              "could not be granted (" + r.failedResource() + " failed); none of it is left";
          default -> "was revoked by " + (by == null ? "Portcullis" : by);
        };
    notifications.send(
        () ->
            ending(
                facts(
                        Notice.of(
                            Notice.ACCESS_ENDED,
                            r.id().value(),
                            Recipients.users(r.requester().value()),
                            "Your access to " + r.resource() + " " + what),
                        r)
                    .fact("status", outcome.name())
                    .fact("endedAt", RequestLifecycle.now()),
                by,
                reason));
  }

  private static Notice facts(Notice notice, AccessRequest r) {
    return facts(notice, r, AskedFor.one(r.resource()));
  }

  private static Notice facts(Notice notice, AccessRequest r, AskedFor asked) {
    return asked
        .facts(notice.fact("requester", r.requester()))
        .fact("duration", r.duration())
        .fact("ticket", r.ticket())
        .fact("requestedAt", r.requestedAt());
  }

  /**
   * A reason someone typed is free text, kept out of chat messages; one Portcullis wrote is a fact.
   */
  private static Notice ending(Notice notice, String by, String reason) {
    return by == null ? notice.fact("reason", reason) : notice.fact("endedBy", by).comment(reason);
  }
}
