package io.portcullis.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.modulith.NamedInterface;

/**
 * One stage of a request's approval chain, as the policy chose it when the request opened.
 *
 * @param position the stage's place in the chain, from 1
 * @param quorum how many distinct approvers must approve
 * @param remindAfter from the stage's opening, when its approvers and escalation group are reminded
 *     and the escalation group may decide too
 * @param deadline from the stage's opening, when the request lapses if the stage is still undecided
 * @param escalationGroup may be null: the reminder then goes to the approvers only
 * @param escalatedAt when the reminder came; null before
 */
@NamedInterface("chains")
public record Stage(
    int position,
    String approverGroup,
    int quorum,
    Duration remindAfter,
    Duration deadline,
    String escalationGroup,
    Instant openedAt,
    Instant escalatedAt) {

  /**
   * The groups that may decide this stage now: its approvers, and its escalation group once
   * escalated.
   */
  public List<String> decidingGroups() {
    return escalatedAt != null && escalationGroup != null
        ? List.of(approverGroup, escalationGroup)
        : List.of(approverGroup);
  }

  /**
   * When the stage lapses if nobody decides it: its deadline after it opened; null before it
   * opened.
   */
  public Instant lapsesAt() {
    return openedAt == null ? null : openedAt.plus(deadline);
  }

  /** Whether a member of these groups may decide this stage now. */
  public boolean decidableBy(Collection<String> groups) {
    return groups.contains(approverGroup)
        || (escalatedAt != null && escalationGroup != null && groups.contains(escalationGroup));
  }
}
