package io.portcullis.approval;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.directory.GroupMemberships;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.LeavingPeople;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.Username;
import io.portcullis.web.FreeText;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Delegation (issue 29): an approver hands their decisions to a named person for a period; the
 * delegator or an admin ends it. Who may then decide what is {@link SeparationOfDuties}' rule,
 * which asks {@link #delegatorsOf} for the delegations in force at the engine's clock, at the
 * moment of each decision: one that has run out or was ended counts for nothing from then on.
 */
@Service
public class Delegations {

  /** The longest reason. */
  public static final int MAX_REASON = 1000;

  private final DelegationRepository delegations;
  private final DelegationPeriods periods;
  private final DelegatedTasks tasks;
  private final GroupMemberships memberships;
  private final IdentityService identity;
  private final LeavingPeople leaving;
  private final AuditTrail trail;
  private final ApprovalNotices notices;
  private final Delegators delegators;

  /** Asked when first needed: the engine's start needs the guard, which needs this. */
  private final ObjectProvider<ProcessEngine> engine;

  Delegations(
      DelegationRepository delegations,
      DelegationPeriods periods,
      DelegatedTasks tasks,
      GroupMemberships memberships,
      IdentityService identity,
      LeavingPeople leaving,
      AuditTrail trail,
      ApprovalNotices notices,
      Delegators delegators,
      ObjectProvider<ProcessEngine> engine) {
    this.notices = notices;
    this.delegators = delegators;
    this.engine = engine;
    this.delegations = delegations;
    this.periods = periods;
    this.tasks = tasks;
    this.memberships = memberships;
    this.identity = identity;
    this.leaving = leaving;
    this.trail = trail;
  }

  /** The caller delegates their approvals to {@code to}. */
  @Transactional
  public Delegation create(Caller caller, String to, Instant from, Instant until, String reason) {
    Instant now = ApprovalChains.now();
    Username named = named(caller, to);
    Instant start = periods.check(from, until, now);
    String why = FreeText.requiredLine("reason", reason, MAX_REASON);
    delegators.check(caller);
    Username delegate =
        canonical(named)
            .orElseThrow(
                () -> new InvalidInputException("to", "no person " + named + " in the directory"));
    if (leaving.frozen(delegate)) {
      throw new InvalidInputException(
          "to", delegate + " is leaving (offboarded) and cannot decide for anyone");
    }
    Delegation d =
        new Delegation(
            UUID.randomUUID().toString(),
            caller.username(),
            delegate,
            start,
            until,
            why,
            now,
            null,
            null);
    delegations.insert(d);
    // the delegation's time in BPMN: Tasklist's listing follows its start and its end
    ProcessInstance timing =
        engine
            .getObject()
            .getRuntimeService()
            .startProcessInstanceByKey(
                DelegationProcess.KEY,
                d.id(),
                Map.of(
                    DelegationProcess.FROM,
                    Date.from(start),
                    DelegationProcess.UNTIL,
                    Date.from(until)));
    delegations.bind(d.id(), timing.getId());
    trail.record(
        AuditEvent.Draft.by(caller.username(), AuditAction.DELEGATION_CREATED)
            .subject(delegate)
            .detail("delegation", d.id())
            .detail("delegator", d.delegator().value())
            .detail("delegate", delegate.value())
            .detail("from", start.toString())
            .detail("until", until.toString())
            .detail("reason", why));
    notices.delegationMade(d);
    if (d.inForceAt(now)) {
      tasks.offer(d.delegate(), memberships.of(d.delegator()));
    }
    return d;
  }

  /** The person named as delegate, never the delegator; a 400 naming {@code to} otherwise. */
  public static Username named(Caller caller, String to) {
    Username named = Username.of("to", to);
    if (named.sameAs(caller.username())) {
      throw new InvalidInputException(
          "to", "is the delegator; an approver delegates to someone else");
    }
    return named;
  }

  /** What the caller gave or received; everything, for an admin. */
  public List<Delegation> visibleTo(Caller caller) {
    return caller.is(Caller.Role.ADMIN) ? delegations.all() : delegations.of(caller.username());
  }

  /**
   * Ends a delegation now: its delegator or an admin; the delegate is told 403; anyone else 404, as
   * if there were none.
   */
  @Transactional
  public Delegation end(Caller caller, String id) {
    boolean admin = caller.is(Caller.Role.ADMIN);
    Delegation d =
        delegations
            .find(id)
            .filter(
                x ->
                    admin
                        || caller.username().sameAs(x.delegator())
                        || caller.username().sameAs(x.delegate()))
            .orElseThrow(() -> new NotFoundException("No delegation " + id + "."));
    if (!admin && !caller.username().sameAs(d.delegator())) {
      throw new RefusedException("only the delegator or an admin ends a delegation");
    }
    Instant now = ApprovalChains.now();
    Delegation.Status status = d.statusAt(now);
    if (status == Delegation.Status.ENDED || status == Delegation.Status.EXPIRED) {
      throw new ConflictException("The delegation is over already (" + status + ").");
    }
    if (!finish(d, caller.username(), caller.username().value(), null, now)) {
      throw new ConflictException("The delegation was ended while this call ran.");
    }
    return delegations.find(id).orElseThrow();
  }

  /**
   * Ends now every delegation this person gave or received that is not over (an offboarding's
   * step): audited {@code delegation.ended} with the reason, the delegate's tasks withdrawn. Those
   * it ended, as they were; one ended meanwhile by someone else is left out.
   */
  @Transactional
  public List<Delegation> endAllOf(Username person, String actor, String reason) {
    Instant now = ApprovalChains.now();
    return delegations.of(person).stream()
        .filter(d -> d.statusAt(now) == Delegation.Status.SCHEDULED || d.inForceAt(now))
        .filter(d -> finish(d, Username.of(AuditEvent.SYSTEM), actor, reason, now))
        .toList();
  }

  /** Ends it if nobody did: the trail, Tasklist's listing and its timing instance follow. */
  private boolean finish(Delegation d, Username by, String actor, String reason, Instant now) {
    if (!delegations.end(d.id(), by, now)) {
      return false;
    }
    AuditEvent.Draft ended =
        AuditEvent.Draft.by(actor, AuditAction.DELEGATION_ENDED)
            .subject(d.delegate())
            .detail("delegation", d.id())
            .detail("delegator", d.delegator().value())
            .detail("delegate", d.delegate().value())
            .detail("until", d.until().toString());
    trail.record(reason == null ? ended : ended.detail("reason", reason));
    tasks.withdraw(d.delegate(), delegatorsOf(d.delegate()));
    delegations
        .processInstanceOf(d.id())
        .ifPresent(
            pi ->
                engine
                    .getObject()
                    .getRuntimeService()
                    .deleteProcessInstanceIfExists(
                        pi, "delegation ended", true, true, true, false));
    return true;
  }

  /**
   * The people whose approvals this person holds now (the engine's clock), each with their own
   * groups: never groups delegated to them, so a delegation never chains. A delegator an
   * offboarding froze passes nothing on.
   */
  List<SeparationOfDuties.Delegator> delegatorsOf(Username delegate) {
    return delegations.inForce(delegate, ApprovalChains.now()).stream()
        .map(Delegation::delegator)
        .distinct()
        .filter(d -> !leaving.frozen(d))
        .map(d -> new SeparationOfDuties.Delegator(d, memberships.of(d)))
        .toList();
  }

  /** The delegations in force now, for every delegate. */
  List<Delegation> inForce() {
    return delegations.inForce(null, ApprovalChains.now());
  }

  private Optional<Username> canonical(Username username) {
    User user = identity.createUserQuery().userId(username.value()).singleResult();
    return Optional.ofNullable(user).map(User::getId).map(Username::of);
  }
}
