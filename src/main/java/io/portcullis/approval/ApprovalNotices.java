package io.portcullis.approval;

import io.portcullis.notification.Notice;
import io.portcullis.notification.Notice.Recipients;
import io.portcullis.notification.Notifications;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What approval tells people (docs/notifications.md): the requester of each decision, and a stage's
 * approvers and escalation group when its reminder is due. Each call runs in the transaction of the
 * step it belongs to, so a refused or rolled-back decision tells nobody. (That a task waits for a
 * stage's approvers is told by the request module, which holds the justification the approvers
 * read.)
 */
@Component
class ApprovalNotices {

  /** A delegation was made; its delegate is told. */
  static final String DELEGATION_MADE = "delegation.made";

  /** A delegation made for later came into force; its delegate is told. */
  static final String DELEGATION_STARTED = "delegation.started";

  private final Notifications notifications;
  private final ApproversToTell approvers;

  ApprovalNotices(Notifications notifications, ApproversToTell approvers) {
    this.notifications = notifications;
    this.approvers = approvers;
  }

  void decided(Chain chain, Decision d) {
    String verdict = d.approves() ? "approved" : "denied";
    notifications.send(
        () ->
            facts(
                    Notice.of(
                        Notice.REQUEST_DECIDED,
                        chain.requestId().value(),
                        Recipients.users(chain.requester().value()),
                        subject(
                            d.approver() + " " + verdict + " your request for ",
                            chain,
                            " (stage " + d.stage() + " of " + chain.stages().size() + ")")),
                    chain)
                .fact("stage", d.stage())
                .fact("decision", d.decision().name())
                .fact("approver", d.approver())
                .fact("approvedDuration", d.duration())
                .fact("decidedAt", d.at())
                .comment(d.comment()));
  }

  /**
   * A stage is overdue: its approvers and its escalation group, and the delegates in force of their
   * members ({@link ApproversToTell}), never the requester.
   */
  void reminded(Chain chain, Stage stage) {
    List<String> groups = new ArrayList<>(List.of(stage.approverGroup()));
    if (stage.escalationGroup() != null) {
      groups.add(stage.escalationGroup());
    }
    notifications.send(
        () ->
            facts(
                    Notice.of(
                        Notice.APPROVAL_REMINDER,
                        chain.requestId().value(),
                        approvers.of(chain, groups),
                        subject(
                            "Reminder: approve ",
                            chain,
                            " for "
                                + chain.requester()
                                + " ("
                                + ApprovalTask.durations(chain)
                                + "), stage "
                                + stage.position()
                                + " of "
                                + chain.stages().size())),
                    chain)
                .fact("stage", stage.position())
                .fact("approverGroup", stage.approverGroup())
                .fact("escalationGroup", stage.escalationGroup())
                .fact(
                    "deadline",
                    stage.openedAt() == null ? null : stage.openedAt().plus(stage.deadline())));
  }

  /**
   * A delegation was made: its delegate is told by whom, for when and why, as approvers are told of
   * a task (they may have to decide from its start).
   */
  void delegationMade(Delegation d) {
    notifications.send(
        () ->
            delegation(
                DELEGATION_MADE,
                d,
                d.delegator()
                    + " delegated their approvals to you from "
                    + d.from()
                    + " until "
                    + d.until()));
  }

  /** A delegation made ahead of its start came into force: its delegate decides from now. */
  void delegationStarted(Delegation d) {
    notifications.send(
        () ->
            delegation(
                DELEGATION_STARTED,
                d,
                "You now decide in " + d.delegator() + "'s place, until " + d.until()));
  }

  private static Notice delegation(String kind, Delegation d, String subject) {
    return Notice.of(kind, null, Recipients.users(d.delegate().value()), subject)
        .fact("delegator", d.delegator())
        .fact("delegate", d.delegate())
        .fact("from", d.from())
        .fact("until", d.until())
        .fact("delegation", d.id())
        .comment(d.reason());
  }

  private static Notice facts(Notice notice, Chain chain) {
    return chain
        .asked()
        .facts(notice.fact("requester", chain.requester()))
        .fact("duration", chain.duration());
  }

  /** A subject that names every resource asked, cut to fit a notice's subject. */
  private static String subject(String before, Chain chain, String after) {
    return before
        + chain.asked().named(Notice.MAX_SUBJECT - before.length() - after.length())
        + after;
  }
}
