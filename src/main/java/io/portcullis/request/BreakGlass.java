package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.ApprovalChains.BreakGlassChoice;
import io.portcullis.approval.ApprovalSubject;
import io.portcullis.approval.Chain;
import io.portcullis.approval.Stage;
import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RefusedException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Who may break glass (issue 29): the one home of the rule, asked when the access process opens
 * ({@link RequestLifecycle#opened}), which every door passes (the API, Tasklist's start form, the
 * engine's REST API with a {@code breakGlass} variable).
 *
 * <ul>
 *   <li>a ticket is required (its form is {@link AccessRequestRules}' own), with the justification;
 *   <li>a rule of the approval policy must allow it ({@code breakGlassWithin}, for this resource
 *       and this requester's groups), or it is refused (403) and nothing is stored;
 *   <li>the duration is at most what that rule allows (400 naming {@code duration});
 *   <li>there must be a chain to skip: a request the policy waives needs no break-glass;
 *   <li>it is granted at once, so it takes no {@code startAt} and extends nothing.
 * </ul>
 */
@Component
public class BreakGlass {

  private final ApprovalChains approvals;
  private final AuditTrail trail;

  BreakGlass(ApprovalChains approvals, AuditTrail trail) {
    this.approvals = approvals;
    this.trail = trail;
  }

  /**
   * Checks a break-glass request and, if allowed, stores its chain waived.
   *
   * @return the stored (waived) chain and the stages it skipped
   */
  Opened open(
      ApprovalSubject subject,
      String ticket,
      boolean scheduled,
      boolean extension,
      boolean severalResources) {
    if (ticket == null || ticket.isBlank()) {
      throw new InvalidInputException(
          "ticket", "is required for break-glass: the incident or change it is taken for");
    }
    if (scheduled) {
      throw new InvalidInputException(
          "startAt", "break-glass is granted at once; it cannot be scheduled");
    }
    if (extension) {
      throw new InvalidInputException("breakGlass", "an extension cannot break glass");
    }
    if (severalResources) {
      // the policy allows break-glass per resource and reviews it by one skipped chain
      throw new InvalidInputException(
          "breakGlass", "break-glass takes one resource, not several or a bundle");
    }
    BreakGlassChoice choice = approvals.breakGlass(subject);
    if (choice.allowedUpTo().isEmpty()) {
      String rule =
          "break-glass refused: the approval policy "
              + choice.policy()
              + " has no break-glass rule for "
              + subject.requester()
              + " on "
              + subject.resource()
              + " (it allows break-glass only to the groups its rules name); "
              + "ask for approval instead";
      // the refusal rolls the request back, so its record is written on its own, after that;
      // never the ticket or the justification, which the requester wrote
      trail.recordOnItsOwn(
          AuditEvent.Draft.by(subject.requester(), AuditAction.ACTION_REFUSED)
              .subject(subject.requester())
              .resource(subject.resource())
              .detail("attempted", "break-glass")
              .detail("duration", subject.duration().toString())
              .detail("why", rule));
      throw new BreakGlassRefusedException(rule);
    }
    Duration upTo = choice.allowedUpTo().orElseThrow();
    if (subject.duration().value().compareTo(upTo) > 0) {
      throw new InvalidInputException(
          "duration",
          "break-glass on "
              + subject.resource()
              + " is allowed for at most "
              + upTo
              + " by the approval policy "
              + choice.policy()
              + ", not "
              + subject.duration());
    }
    if (choice.skipped().isEmpty()) {
      throw new InvalidInputException(
          "breakGlass",
          "the approval policy "
              + choice.policy()
              + " needs no approval for this request; ask without breakGlass");
    }
    Chain chain = approvals.openWaived(subject, choice.policy());
    return new Opened(chain, choice.skipped());
  }

  /** A break-glass request, opened: its waived chain and the stages it skipped. */
  record Opened(Chain chain, List<Stage> skipped) {

    /** The first stage's group reviews it after the fact. */
    String reviewGroup() {
      return skipped.get(0).approverGroup();
    }

    /** Every group of the skipped chain, approvers and escalation groups: all are told. */
    Set<String> skippedGroups() {
      Set<String> groups = new LinkedHashSet<>();
      for (Stage s : skipped) {
        groups.add(s.approverGroup());
        if (s.escalationGroup() != null) {
          groups.add(s.escalationGroup());
        }
      }
      return groups;
    }
  }

  /** Break-glass that no rule of the policy allows to this person: 403, naming the rule. */
  static class BreakGlassRefusedException extends RefusedException {
    BreakGlassRefusedException(String rule) {
      super(rule);
    }
  }
}
