package io.portcullis.approval;

import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.RuleAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/**
 * What the request module asks of approval: open a chain when a request opens, and read it later
 * (whether the request is approved, for how long, who took part). Approval decides; the request's
 * life is not its business.
 */
@NamedInterface("chains")
@Service
public class ApprovalChains {

  private final ApprovalPolicy policy;
  private final ChainRepository chains;
  private final DelegatedTasks delegated;

  ApprovalChains(ApprovalPolicy policy, ChainRepository chains, DelegatedTasks delegated) {
    this.policy = policy;
    this.chains = chains;
    this.delegated = delegated;
  }

  /**
   * Evaluates the policy once and stores the stages it chose with the request, so a later policy
   * change never changes it. Refuses (400) a request that the policy has no rule for.
   */
  public Chain open(ApprovalSubject subject) {
    ApprovalPolicy.Choice choice = policy.choose(subject);
    Chain chain =
        new Chain(
            subject.requestId(),
            subject.processInstanceId(),
            subject.requester(),
            subject.resource(),
            subject.duration(),
            choice.policy(),
            choice.stages(),
            List.of());
    chains.insert(chain, now());
    return chain;
  }

  /**
   * What the policy says of this subject taken by break-glass (issue 29): the chain it would skip
   * and the longest break-glass a rule allows. Chooses, stores nothing; the request module's {@code
   * BreakGlass} decides with it. Refuses (400) as {@link #open} does when no rule matches.
   */
  public BreakGlassChoice breakGlass(ApprovalSubject subject) {
    ApprovalPolicy.Choice choice = policy.choose(subject);
    return new BreakGlassChoice(choice.policy(), choice.stages(), choice.breakGlassWithin());
  }

  /**
   * Stores the chain of a break-glass request: waived, with no stage, so that it is granted at once
   * and every step that asks whether it is approved says yes; the chain it skipped is reviewed
   * after the fact.
   */
  public Chain openWaived(ApprovalSubject subject, String policyVersion) {
    Chain chain =
        new Chain(
            subject.requestId(),
            subject.processInstanceId(),
            subject.requester(),
            subject.resource(),
            subject.duration(),
            policyVersion,
            List.of(),
            List.of());
    chains.insert(chain, now());
    return chain;
  }

  /**
   * What the policy chose for a break-glass subject.
   *
   * @param skipped the stages an approval would have run, in order
   * @param allowedUpTo the longest break-glass a matching rule allows; empty: none allows it
   */
  @NamedInterface("chains")
  public record BreakGlassChoice(
      String policy, List<Stage> skipped, Optional<Duration> allowedUpTo) {

    public BreakGlassChoice {
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * Whether the policy as deployed now still has a rule for this subject: the refusal in words if
   * not. Chooses nothing and stores nothing; the chain chosen when the request opened stands (a
   * scheduled start asks this before its grant).
   */
  public Optional<String> refusalNow(ApprovalSubject subject) {
    try {
      policy.choose(subject);
      return Optional.empty();
    } catch (RuntimeException e) {
      if (RuleAnswer.in(e)) {
        return Optional.of(e.getMessage());
      }
      throw e;
    }
  }

  public Optional<Chain> of(RequestId requestId) {
    return chains.find(requestId);
  }

  public Map<RequestId, Chain> of(Collection<RequestId> requestIds) {
    return chains.findAll(requestIds);
  }

  /**
   * The people to whom members of these groups delegated their approvals, in force now: told, as
   * the groups are, that a task of this chain waits (never the requester, never a leaver's
   * delegate).
   */
  public Set<String> delegatesFor(Chain chain, Collection<String> groups) {
    return delegated.delegatesFor(chain, groups);
  }

  /** The groups the latest policy names as a stage's approver or escalation group. */
  public Set<String> approverGroups() {
    return policy.approverGroups();
  }

  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
