package io.portcullis.approval;

import io.portcullis.kernel.Username;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who may decide the current stage of a chain, and in whose name: the one home of these rules,
 * asked by the guard on every completion (whatever the door), by the API before it completes, and
 * by the list of approvals a person may decide now.
 *
 * <ul>
 *   <li>never the requester;
 *   <li>a member of the stage's approver group, or of its escalation group once the stage is
 *       escalated;
 *   <li>or a delegate, in the place of a delegator in force now ({@link Delegator}) who is such a
 *       member by their own groups; delegation never chains, since only the delegator's own groups
 *       count, and the rules below hold for both of them;
 *   <li>nobody counts twice in one stage, and nobody approves two stages of one request: a
 *       delegate's decision counts as both the delegate's and the delegator's ({@link
 *       Decision#by}).
 * </ul>
 *
 * Names are canonical at every door; comparing them as the directory does ({@link Username#sameAs})
 * fails closed if one is not.
 *
 * <p>The same rules once more as a query ({@link #decidable}), so that the list of what a person
 * may decide is a page of the database's answer, counted, and never a page of tasks filtered
 * afterwards (which came back short, or empty, when someone else's tasks filled it). {@code
 * SeparationOfDutiesQueryTest} holds the two forms to each other.
 */
final class SeparationOfDuties {

  /** The chain is waiting for its stage {@code s}: nobody denied, and its quorum is not met. */
  private static final String CURRENT =
      """
      not exists (select 1 from access_decision d where d.request_id = c.request_id and d.decision = 'DENY')
      and s.position = (select min(p.position) from approval_stage p where p.request_id = c.request_id
        and (select count(distinct a.approver) from access_decision a where a.request_id = p.request_id and a.stage = p.position)
          < p.quorum)
      """;

  private SeparationOfDuties() {}

  /**
   * A person whose approvals were delegated to the one deciding, the delegation in force now, with
   * the delegator's own groups (never groups delegated to them).
   */
  record Delegator(Username name, Collection<String> groups) {}

  /**
   * May decide ({@link #refusal} null), in their own right or in {@link #onBehalfOf}'s place; or
   * why not.
   */
  record Answer(String refusal, Username onBehalfOf) {
    boolean allowed() {
      return refusal == null;
    }
  }

  /** Why this person may not decide now in their own right; empty if they may. */
  static Optional<String> whyNot(Username who, Collection<String> groups, Chain chain) {
    return Optional.ofNullable(answer(who, groups, List.of(), chain).refusal());
  }

  /**
   * Whether this person may decide now: in their own right first, else in the place of the first of
   * their delegators in force whose own groups may decide the stage.
   */
  static Answer answer(
      Username who, Collection<String> groups, List<Delegator> delegators, Chain chain) {
    if (who.sameAs(chain.requester())) {
      return refused("the requester cannot decide on their own request");
    }
    Optional<Stage> current = chain.current();
    if (current.isEmpty()) {
      return refused("the request is not waiting for a decision");
    }
    Stage stage = current.get();
    if (stage.decidableBy(groups)) {
      Optional<String> own = decidedAlready(who, stage, chain);
      return own.isPresent() ? refused(own.get()) : new Answer(null, null);
    }
    List<String> delegatedRefusals = new ArrayList<>();
    for (Delegator d : delegators) {
      if (!stage.decidableBy(d.groups())) {
        continue;
      }
      Optional<String> theirs = decidedAlready(who, stage, chain);
      if (theirs.isEmpty()) {
        theirs =
            d.name().sameAs(chain.requester())
                ? Optional.of(
                    d.name()
                        + ", whose approvals "
                        + who
                        + " holds, is the requester of this request")
                : decidedAlready(d.name(), stage, chain);
      }
      if (theirs.isEmpty()) {
        return new Answer(null, d.name());
      }
      delegatedRefusals.add(theirs.get() + " (" + who + " decides in " + d.name() + "'s place)");
    }
    if (!delegatedRefusals.isEmpty()) {
      return refused(delegatedRefusals.get(0));
    }
    return refused(
        who
            + " is not in the approver group "
            + stage.approverGroup()
            + " of stage "
            + stage.position()
            + (stage.escalationGroup() != null && stage.escalatedAt() == null
                ? " (the escalation group "
                    + stage.escalationGroup()
                    + " may decide only after the reminder)"
                : "")
            + (delegators.isEmpty() ? "" : ", nor holds the approvals of one who is"));
  }

  /** Whether this person decided the stage already, or approved another one of the request. */
  private static Optional<String> decidedAlready(Username person, Stage stage, Chain chain) {
    for (Decision d : chain.decisions()) {
      if (d.by(person) && d.stage() == stage.position()) {
        return Optional.of(
            person
                + " has already decided stage "
                + stage.position()
                + "; each approver counts once");
      }
      if (d.by(person) && d.approves()) {
        return Optional.of(
            person
                + " approved stage "
                + d.stage()
                + " and cannot approve another stage of the same request");
      }
    }
    return Optional.empty();
  }

  private static Answer refused(String why) {
    return new Answer(why, null);
  }

  /**
   * Where the chain {@code c}, in its current stage {@code s}, may be decided by {@code :who}: by
   * {@code :groups}, their own (when {@code ownGroups}), or in the place of delegator {@code :d<i>}
   * with their own groups {@code :g<i>}, for i below {@code delegators}: the rules above, clause by
   * clause.
   */
  static String decidable(boolean ownGroups, int delegators) {
    List<String> ways = new ArrayList<>();
    if (ownGroups) {
      ways.add(inGroups("groups"));
    }
    for (int i = 0; i < delegators; i++) {
      ways.add("(" + person("d" + i) + " and " + inGroups("g" + i) + ")");
    }
    if (ways.isEmpty()) {
      ways.add("1 = 0");
    }
    return CURRENT + " and " + person("who") + " and (" + String.join(" or ", ways) + ")";
  }

  /** Not the requester, and not one who decided this stage or approved another. */
  private static String person(String name) {
    return "lower(c.requester) <> lower(:"
        + name
        + ") and not exists (select 1 from access_decision m where m.request_id = c.request_id"
        + " and (lower(m.approver) = lower(:"
        + name
        + ") or lower(m.on_behalf_of) = lower(:"
        + name
        + ")) and (m.stage = s.position or m.decision = 'APPROVE'))";
  }

  private static String inGroups(String name) {
    return "(s.approver_group in (:"
        + name
        + ") or (s.escalated_at is not null and s.escalation_group in (:"
        + name
        + ")))";
  }
}
