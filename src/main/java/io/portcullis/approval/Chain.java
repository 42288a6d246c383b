package io.portcullis.approval;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.modulith.NamedInterface;

/**
 * A request's approval chain: the stages the policy chose when it opened, and the decisions so far.
 * Everything about whether the request is approved is computed here, from what was stored.
 *
 * @param asked every resource asked for, and the bundle: the request's own record of it, read with
 *     the chain, and how every view an approver reads names them
 * @param duration as asked: the request's own record of it, read with the chain
 * @param policy which policy version chose the stages, such as {@code approvalPolicy:3}
 */
@NamedInterface("chains")
public record Chain(
    RequestId requestId,
    String processInstanceId,
    Username requester,
    AskedFor asked,
    AccessDuration duration,
    String policy,
    List<Stage> stages,
    List<Decision> decisions) {

  public Chain {
    stages = List.copyOf(stages);
    decisions = List.copyOf(decisions);
  }

  /**
   * The request's own resource: the only one, or the first of several. What an approver reads names
   * them all: {@link #asked()}.
   */
  public ResourceId resource() {
    return asked.first();
  }

  /** The policy waived approval: the request is granted without a stage. */
  public boolean waived() {
    return stages.isEmpty();
  }

  /**
   * The stage that waits for decisions: the first that has not reached its quorum; empty once
   * approved or denied.
   */
  public Optional<Stage> current() {
    if (denial().isPresent()) {
      return Optional.empty();
    }
    return stages.stream().filter(s -> outcomeOf(s) == StageOutcome.PENDING).findFirst();
  }

  /**
   * Whether the stage waiting for decisions has passed its deadline at this time (the engine's
   * clock): only then did the request lapse, whatever ended its approval.
   */
  public boolean lapsed(Instant now) {
    return current().map(Stage::lapsesAt).filter(at -> !now.isBefore(at)).isPresent();
  }

  public boolean approved() {
    return denial().isEmpty()
        && stages.stream().allMatch(s -> outcomeOf(s) == StageOutcome.APPROVED);
  }

  /** The deny that ended the request, if one did. */
  public Optional<Decision> denial() {
    return decisions.stream().filter(d -> !d.approves()).findFirst();
  }

  public StageOutcome outcomeOf(Stage stage) {
    List<Decision> in = decisionsIn(stage);
    if (in.stream().anyMatch(d -> !d.approves())) {
      return StageOutcome.DENIED;
    }
    long approvers = in.stream().map(Decision::approver).distinct().count();
    return approvers >= stage.quorum() ? StageOutcome.APPROVED : StageOutcome.PENDING;
  }

  public List<Decision> decisionsIn(Stage stage) {
    return decisions.stream().filter(d -> d.stage() == stage.position()).toList();
  }

  /** As asked, or the shortest duration an approver allowed. */
  public AccessDuration approvedDuration() {
    return decisions.stream()
        .filter(Decision::approves)
        .map(Decision::duration)
        .filter(d -> d != null)
        .min(Comparator.naturalOrder())
        .filter(d -> d.shorterThan(duration))
        .orElse(duration);
  }

  /**
   * Every group whose members take part in deciding: each stage's approvers and escalation group.
   */
  public Set<String> deciderGroups() {
    Set<String> groups = new LinkedHashSet<>();
    for (Stage s : stages) {
      groups.add(s.approverGroup());
      if (s.escalationGroup() != null) {
        groups.add(s.escalationGroup());
      }
    }
    return groups;
  }

  /** Where a stage stands, from its decisions. */
  @NamedInterface("chains")
  public enum StageOutcome {
    PENDING,
    APPROVED,
    DENIED
  }
}
