package io.portcullis.approval;

import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.RuleAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

  ApprovalChains(ApprovalPolicy policy, ChainRepository chains) {
    this.policy = policy;
    this.chains = chains;
  }

  /**
   * Evaluates the policy once and stores the stages it chose with the request, so a later policy
   * change never changes it. Refuses (400) a request that the policy has no rule for.
   */
  public Chain open(ApprovalSubject subject) {
    return open(AskedFor.one(subject.resource()), subject, policy.choose(subject));
  }

  /**
   * One chain for a request for several resources (issue 29): the policy is asked once for each
   * subject (one a resource, the first the request's own), and the chain is the union of the stages
   * it chose, in the order met, each approver group once, with the largest quorum and the shortest
   * reminder and deadline any of them asked for. Approval is waived only when it is waived for
   * every resource. A resource the policy has no rule for refuses the whole request (400), naming
   * the field given.
   *
   * @param field the request's field that named the resources ({@code resources} or {@code
   *     bundle}), for a refusal
   * @param bundle the catalog bundle the request named; null for a list of resources
   */
  public Chain openForAll(List<ApprovalSubject> subjects, String field, String bundle) {
    Map<String, Stage> byGroup = new LinkedHashMap<>();
    Set<String> versions = new LinkedHashSet<>();
    for (ApprovalSubject subject : subjects) {
      ApprovalPolicy.Choice choice;
      try {
        choice = policy.choose(subject);
      } catch (InvalidInputException e) {
        throw new InvalidInputException(field, subject.resource() + ": " + e.reason());
      }
      versions.add(choice.policy());
      for (Stage s : choice.stages()) {
        byGroup.merge(
            s.approverGroup(),
            s,
            (a, b) ->
                new Stage(
                    a.position(),
                    a.approverGroup(),
                    Math.max(a.quorum(), b.quorum()),
                    min(a.remindAfter(), b.remindAfter()),
                    min(a.deadline(), b.deadline()),
                    a.escalationGroup() != null ? a.escalationGroup() : b.escalationGroup(),
                    null,
                    null));
      }
    }
    List<Stage> stages = new ArrayList<>();
    for (Stage s : byGroup.values()) {
      stages.add(
          new Stage(
              stages.size() + 1,
              s.approverGroup(),
              s.quorum(),
              s.remindAfter(),
              s.deadline(),
              s.escalationGroup(),
              null,
              null));
    }
    return open(
        new AskedFor(subjects.stream().map(ApprovalSubject::resource).toList(), bundle),
        subjects.get(0),
        // a request for several is never a break-glass (request's BreakGlass refuses it)
        new ApprovalPolicy.Choice(
            String.join(", ", versions), List.copyOf(stages), Optional.empty()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private Chain open(AskedFor asked, ApprovalSubject subject, ApprovalPolicy.Choice choice) {
    Chain chain =
        new Chain(
            subject.requestId(),
            subject.processInstanceId(),
            subject.requester(),
            asked,
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
            AskedFor.one(subject.resource()),
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

  /** The groups the latest policy names as a stage's approver or escalation group. */
  public Set<String> approverGroups() {
    return policy.approverGroups();
  }

  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
