package io.portcullis.approval;

import java.util.Collection;
import java.util.Optional;

/**
 * Who may decide the current stage of a chain: the one home of these rules, asked by the guard on every
 * completion (whatever the door) and by the list of approvals a person may decide now.
 * <ul>
 *   <li>never the requester;
 *   <li>a member of the stage's approver group, or of its escalation group once the stage is escalated;
 *   <li>nobody counts twice in one stage, and nobody approves two stages of one request.
 * </ul>
 * Names are canonical at every door; comparing without case as well fails closed if one is not.
 */
final class SeparationOfDuties {

  private SeparationOfDuties() {}

  /** Why this person may not decide now; empty if they may. */
  static Optional<String> whyNot(String who, Collection<String> groups, Chain chain) {
    if (same(who, chain.requester())) {
      return Optional.of("the requester cannot decide on their own request");
    }
    Optional<Stage> current = chain.current();
    if (current.isEmpty()) {
      return Optional.of("the request is not waiting for a decision");
    }
    Stage stage = current.get();
    if (!stage.decidableBy(groups)) {
      return Optional.of(who + " is not in the approver group " + stage.approverGroup() + " of stage " + stage.position()
          + (stage.escalationGroup() != null && stage.escalatedAt() == null ? " (the escalation group "
              + stage.escalationGroup() + " may decide only after the reminder)" : ""));
    }
    for (Decision d : chain.decisions()) {
      if (same(who, d.approver()) && d.stage() == stage.position()) {
        return Optional.of(who + " has already decided stage " + stage.position() + "; each approver counts once");
      }
      if (same(who, d.approver()) && d.approves()) {
        return Optional.of(who + " approved stage " + d.stage() + " and cannot approve another stage of the same request");
      }
    }
    return Optional.empty();
  }

  private static boolean same(String a, String b) {
    return a != null && b != null && (a.equals(b) || a.equalsIgnoreCase(b));
  }
}
