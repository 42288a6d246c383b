package io.portcullis.request;

import io.portcullis.approval.Approvals;
import io.portcullis.approval.Decision;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.RuleAnswer;
import io.portcullis.request.AccessRequestRepository.RequestFilter;
import io.portcullis.request.AccessRequestRepository.Visibility;
import io.portcullis.security.EngineIdentity;
import io.portcullis.security.RoleProperties;
import io.portcullis.web.FreeText;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.MessageCorrelationBuilderImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;

/**
 * What the access-request API does, person by person. It checks the caller's part in the request
 * (requester, approver, admin, auditor) and hands everything else to the process: the process's own
 * checks hold for every other door too.
 */
@Service
public class AccessRequestService {

  static final int MAX_REASON = 1000;

  private final AccessRequestRepository requests;
  private final RuntimeService runtime;
  private final Approvals approvals;
  private final EngineIdentity engineIdentity;
  private final RequestEvents events;
  private final ProcessEngineConfigurationImpl engine;
  private final BreakGlassReviews reviews;
  private final TaskService tasks;
  private final RoleProperties roles;

  public AccessRequestService(
      AccessRequestRepository requests,
      RuntimeService runtime,
      EngineIdentity engineIdentity,
      RequestEvents events,
      ProcessEngine processEngine,
      Approvals approvals,
      BreakGlassReviews reviews,
      TaskService tasks,
      RoleProperties roles) {
    this.reviews = reviews;
    this.tasks = tasks;
    this.roles = roles;
    this.approvals = approvals;
    this.events = events;
    this.engine = (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
    this.requests = requests;
    this.runtime = runtime;
    this.engineIdentity = engineIdentity;
  }

  /**
   * Starts the access process as the caller. The request's rules are checked once, by the process's
   * own start listener, which every door passes (a refusal comes back as a 400 naming the field).
   *
   * @param resource, resources, bundle what is asked for: exactly one of them (checked by the
   *     process's start, {@link AccessRequestRules})
   * @param startAt when to grant, once approved; null: on approval
   * @param breakGlass take it at once, reviewed after the fact, where the policy allows it ({@link
   *     BreakGlass})
   */
  public AccessRequest create(
      Caller caller,
      String resource,
      List<String> resources,
      String bundle,
      AccessDuration duration,
      String justification,
      String ticket,
      Instant startAt,
      boolean breakGlass) {
    RequestId id = RequestId.random();
    // the engine keeps text: the process's own start checks it as it checks every other door's
    Map<String, Object> variables = new HashMap<>();
    // only what was given: the start listener refuses a request that names not exactly one of them
    if (resource != null) {
      variables.put(AccessProcess.RESOURCE, resource);
    }
    if (resources != null) {
      variables.put(AccessProcess.RESOURCES, String.join(",", resources));
    }
    if (bundle != null) {
      variables.put(AccessProcess.BUNDLE, bundle);
    }
    variables.put(AccessProcess.DURATION, duration.toString());
    variables.put(AccessProcess.JUSTIFICATION, justification);
    variables.put(AccessProcess.TICKET, ticket);
    if (startAt != null) {
      variables.put(AccessProcess.STARTS_AT, startAt.toString());
    }
    if (breakGlass) {
      variables.put(AccessProcess.BREAK_GLASS, true);
    }
    engineIdentity.as(
        caller, () -> runtime.startProcessInstanceByKey(AccessProcess.KEY, id.value(), variables));
    return requests.find(id).orElseThrow();
  }

  /**
   * Asks to extend a live grant (issue 29): an access request of its own, decided by the chain the
   * policy chooses for an extension. Who may extend what is checked by the process's own start
   * listener ({@link GrantExtensions}), as for every door; a request the caller may not see is not
   * found.
   */
  public AccessRequest extend(
      Caller caller, RequestId original, AccessDuration duration, String justification) {
    AccessRequest extended = visible(caller, original, "extend");
    RequestId id = RequestId.random();
    Map<String, Object> variables = new HashMap<>();
    variables.put(AccessProcess.RESOURCE, extended.resource().value());
    variables.put(AccessProcess.DURATION, duration.toString());
    variables.put(AccessProcess.JUSTIFICATION, justification);
    variables.put(AccessProcess.EXTENDS, extended.id().value());
    engineIdentity.as(
        caller, () -> runtime.startProcessInstanceByKey(AccessProcess.KEY, id.value(), variables));
    return requests.find(id).orElseThrow();
  }

  /**
   * Reviews a break-glass after the fact: the caller's right to review is checked by the review's
   * own rule ({@link BreakGlassReview#whyNot}) so the API answers 403 clearly, then the review task
   * is completed as the caller, and its guard checks again, as for every door.
   */
  public AccessRequest review(Caller caller, RequestId id, String review, String comment) {
    AccessRequest request = visible(caller, id, "review break-glass");
    BreakGlassReviews.Review pending =
        reviews
            .find(id)
            .orElseThrow(() -> new ConflictException("The request did not break glass."));
    if (pending.outcome() != null) {
      throw new ConflictException(
          "The break-glass was reviewed already: "
              + pending.outcome()
              + " by "
              + pending.reviewedBy()
              + ".");
    }
    BreakGlassReview.whyNot(caller.username(), caller.groups(), pending, roles.adminGroup())
        .ifPresent(
            why -> {
              throw refuse(caller, "review break-glass", request, why);
            });
    Task task =
        tasks
            .createTaskQuery()
            .processInstanceId(pending.processInstanceId())
            .taskDefinitionKey(BreakGlassReview.TASK_REVIEW)
            .singleResult();
    if (task == null) {
      throw new ConflictException("The break-glass is not waiting for a review.");
    }
    Map<String, Object> variables = new HashMap<>();
    variables.put(BreakGlassReview.REVIEW, review);
    variables.put(BreakGlassReview.COMMENT, comment == null || comment.isBlank() ? null : comment);
    engineIdentity.as(
        caller,
        () -> {
          tasks.complete(task.getId(), variables);
          return null;
        });
    return find(id);
  }

  public AccessRequest get(Caller caller, RequestId id) {
    return visible(caller, id, "read");
  }

  /**
   * Which of these requests broke glass (issue 29), read from their reviews: a break-glass request
   * always has one.
   */
  public Set<RequestId> brokeGlass(Collection<RequestId> ids) {
    return reviews.brokeGlass(ids);
  }

  public Page list(Caller caller, RequestFilter filter, int page, int size) {
    Visibility visibility = visibility(caller);
    return new Page(
        requests.list(filter, visibility, page, size),
        page,
        size,
        requests.count(filter, visibility));
  }

  /**
   * Decides the current stage. Approval checks who may decide (the same rules as at every other
   * door); this checks only that the caller may see the request and that it is still pending.
   *
   * @param duration a shorter duration than asked, for an approval; null: as asked
   */
  public AccessRequest decide(
      Caller caller,
      RequestId id,
      Decision.Verdict verdict,
      String comment,
      AccessDuration duration) {
    AccessRequest request = visible(caller, id, verdict.name().toLowerCase());
    if (request.status() != RequestStatus.PENDING) {
      throw new ConflictException(
          "The request is " + request.status() + " and is not waiting for a decision.");
    }
    approvals.decide(caller, id, verdict, comment, duration);
    return find(id);
  }

  /**
   * Ends access now: an ACTIVE grant, or a grant that was attempted and not confirmed (retrying, or
   * FAILED with an incident), which the target may hold all the same (docs/architecture.md, rule
   * 13). The process ends the attempt and runs the revoke; the request ends REVOKED once the target
   * confirms. A SCHEDULED request (approved, waiting for its start) has nothing in any target: it
   * ends CANCELLED at once, by the revoker for their reason, and is never granted.
   */
  public AccessRequest revoke(Caller caller, RequestId id, String reason) {
    AccessRequest request = visible(caller, id, "revoke");
    boolean allowed =
        caller.username().equals(request.requester())
            || takesPartInDeciding(caller, request)
            || caller.is(Caller.Role.ADMIN);
    if (!allowed) {
      throw refuse(
          caller,
          "revoke",
          request,
          "Only the requester, an approver of the request or an admin may revoke it.");
    }
    if (request.status() != RequestStatus.ACTIVE
        && request.status() != RequestStatus.SCHEDULED
        && !request.grantUnconfirmed()) {
      throw new ConflictException(
          "The request is "
              + request.status()
              + (request.status() == RequestStatus.PENDING
                  ? " and nothing of it has reached a target yet"
                  : "")
              + "; only ACTIVE access, a grant under way, or a SCHEDULED request can be revoked.");
    }
    String why = FreeText.requiredLine("reason", reason, MAX_REASON);
    endAndCorrelate(
        AccessProcess.MESSAGE_REVOKE,
        request,
        caller.username().value(),
        why,
        "The access is not yet, or no longer, in a state that can be revoked.");
    return find(id);
  }

  /**
   * The caller's own ACTIVE request, for what only its holder may take while it lives (a
   * credential, {@link HeldAccess}): a request the caller may not see answers as a missing one
   * (404), one they see but did not ask for is refused (403, audited), one that is not ACTIVE is a
   * conflict (409).
   */
  AccessRequest heldBy(Caller caller, RequestId id, String attempted) {
    AccessRequest request = visible(caller, id, attempted);
    if (!caller.username().equals(request.requester())) {
      throw refuse(caller, attempted, request, "Only the requester may " + attempted + ".");
    }
    if (request.status() != RequestStatus.ACTIVE) {
      throw new ConflictException(
          "The request is " + request.status() + "; only ACTIVE access can " + attempted + ".");
    }
    return request;
  }

  /**
   * Withdraws a request that has not been granted: one still being decided, or SCHEDULED (approved,
   * waiting for its start), ends CANCELLED at once; one whose grant was attempted and not confirmed
   * is ended by its process through the revoke, and ends REVOKED once the target confirms (it stays
   * PENDING until then).
   */
  public AccessRequest cancel(Caller caller, RequestId id) {
    AccessRequest request = visible(caller, id, "cancel");
    if (!caller.username().equals(request.requester())) {
      throw refuse(caller, "cancel", request, "Only the requester may cancel a request.");
    }
    if (request.endedAt() != null
        || (request.status() != RequestStatus.PENDING
            && request.status() != RequestStatus.SCHEDULED
            && request.status() != RequestStatus.FAILED)) {
      throw new ConflictException(
          "The request is "
              + request.status()
              + (request.endedAt() != null ? " and ended" : "")
              + "; only a PENDING, SCHEDULED or FAILED request that has not ended can be cancelled"
              + (request.status() == RequestStatus.ACTIVE ? ": revoke it instead." : "."));
    }
    endAndCorrelate(
        AccessProcess.MESSAGE_CANCEL,
        request,
        caller.username().value(),
        "cancelled by the requester",
        "The request is on its way from the approval to its grant, or ending already; try again in a moment.");
    return find(id);
  }

  /**
   * Stores who asks to end the request and why, and wakes its instance, in one transaction: the
   * step that ends the request reads the stored ask, never a variable. Messages are correlated
   * without the caller's engine identity: the caller's right to send them was checked above, and
   * requesters hold no engine permission on process instances.
   */
  private void endAndCorrelate(
      String message, AccessRequest request, String by, String reason, String whenNoMatch) {
    try {
      // one engine command: the read model's write joins the engine's transaction, as in a process
      // step
      engine
          .getCommandExecutorTxRequired()
          .execute(
              context -> {
                requests.requestEnd(request.id(), by, reason);
                // correlated within this very command, so the stored ask and the wake-up commit
                // together
                new MessageCorrelationBuilderImpl(context, message)
                    .processInstanceId(request.processInstanceId())
                    .correlate();
                return null;
              });
    } catch (MismatchingMessageCorrelationException e) {
      throw new ConflictException(whenNoMatch);
    } catch (RuntimeException e) {
      // a decision or a step committed while this ran and moved the instance past the message: the
      // correlation found it waiting, then met the change (no subscription left, a lost lock);
      // nothing of this call was done
      if (!RuleAnswer.in(e)
          && runtime
                  .createEventSubscriptionQuery()
                  .processInstanceId(request.processInstanceId())
                  .eventType("message")
                  .eventName(message)
                  .count()
              == 0) {
        throw new ConflictException(whenNoMatch);
      }
      throw e;
    }
  }

  /** Records the refusal in the audit trail, then answers 403. */
  private RefusedException refuse(
      Caller caller, String attempted, AccessRequest request, String why) {
    events.refused(caller.username().value(), attempted, request, why);
    return new RefusedException(why);
  }

  /**
   * The request, if the caller may see it. One they may not see answers exactly as a missing one
   * (404), so nobody learns which ids exist; the attempt is still audited.
   */
  private AccessRequest visible(Caller caller, RequestId id, String attempted) {
    AccessRequest request = find(id);
    if (!maySee(caller, request)) {
      events.refused(
          caller.username().value(),
          attempted,
          request,
          "not the requester, an approver, an auditor or an admin of this request");
      throw missing(id);
    }
    return request;
  }

  private static NotFoundException missing(RequestId id) {
    return new NotFoundException("No access request " + id + ".");
  }

  private AccessRequest find(RequestId id) {
    return requests.find(id).orElseThrow(() -> missing(id));
  }

  /**
   * Who may see a request: its requester, the groups that take part in deciding it, auditors and
   * admins. One rule for one request and for a listing: {@link #visibility(Caller)}.
   */
  private boolean maySee(Caller caller, AccessRequest request) {
    Visibility visibility = visibility(caller);
    return visibility == null || requests.visible(request.id(), visibility);
  }

  /** What a listing shows the caller: null (everything) for admins and auditors. */
  private static Visibility visibility(Caller caller) {
    return caller.is(Caller.Role.ADMIN) || caller.is(Caller.Role.AUDITOR)
        ? null
        : new Visibility(caller.username(), caller.groups());
  }

  private boolean takesPartInDeciding(Caller caller, AccessRequest request) {
    return requests.decidersOf(request.id()).stream().anyMatch(caller::inGroup);
  }

  /** A page of requests. */
  public record Page(List<AccessRequest> items, int page, int size, long totalItems) {}
}
