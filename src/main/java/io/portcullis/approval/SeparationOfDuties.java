package io.portcullis.approval;

import io.portcullis.kernel.Username;
import java.util.Collection;
import java.util.Optional;

/**
 * Who may decide the current stage of a chain: the one home of these rules, asked by the guard on
 * every completion (whatever the door) and by the list of approvals a person may decide now.
 *
 * <ul>
 *   <li>never the requester;
 *   <li>a member of the stage's approver group, or of its escalation group once the stage is
 *       escalated;
 *   <li>nobody counts twice in one stage, and nobody approves two stages of one request.
 * </ul>
 *
 * Names are canonical at every door; comparing them as the directory does ({@link Username#sameAs})
 * fails closed if one is not.
 *
 * <p>The same rules once more as a query ({@link #DECIDABLE}), so that the list of what a person
 * may decide is a page of the database's answer, counted, and never a page of tasks filtered
 * afterwards (which came back short, or empty, when someone else's tasks filled it). {@code
 * SeparationOfDutiesQueryTest} holds the two forms to each other.
 */
final class SeparationOfDuties {

  /**
   * Where the chain {@code c}, in its current stage {@code s}, may be decided by {@code :who}, a
   * member of {@code :groups}: the rules above, clause by clause (the current stage is the first
   * whose distinct approvers are fewer than its quorum, in a chain nobody denied).
   */
  static final String DECIDABLE =
      """
      lower(c.requester) <> lower(:who)
      and not exists (select 1 from access_decision d where d.request_id = c.request_id and d.decision = 'DENY')
      and s.position = (select min(p.position) from approval_stage p where p.request_id = c.request_id
        and (select count(distinct a.approver) from access_decision a where a.request_id = p.request_id and a.stage = p.position)
          < p.quorum)
      and (s.approver_group in (:groups) or (s.escalated_at is not null and s.escalation_group in (:groups)))
      and not exists (select 1 from access_decision m where m.request_id = c.request_id and lower(m.approver) = lower(:who)
        and (m.stage = s.position or m.decision = 'APPROVE'))
      """;

  private SeparationOfDuties() {}

  /** Why this person may not decide now; empty if they may. */
  static Optional<String> whyNot(Username who, Collection<String> groups, Chain chain) {
    if (who.sameAs(chain.requester())) {
      return Optional.of("the requester cannot decide on their own request");
    }
    Optional<Stage> current = chain.current();
    if (current.isEmpty()) {
      return Optional.of("the request is not waiting for a decision");
    }
    Stage stage = current.get();
    if (!stage.decidableBy(groups)) {
      return Optional.of(
          who
              + " is not in the approver group "
              + stage.approverGroup()
              + " of stage "
              + stage.position()
              + (stage.escalationGroup() != null && stage.escalatedAt() == null
                  ? " (the escalation group "
                      + stage.escalationGroup()
                      + " may decide only after the reminder)"
                  : ""));
    }
    for (Decision d : chain.decisions()) {
      if (who.sameAs(d.approver()) && d.stage() == stage.position()) {
        return Optional.of(
            who + " has already decided stage " + stage.position() + "; each approver counts once");
      }
      if (who.sameAs(d.approver()) && d.approves()) {
        return Optional.of(
            who
                + " approved stage "
                + d.stage()
                + " and cannot approve another stage of the same request");
      }
    }
    return Optional.empty();
  }
}
