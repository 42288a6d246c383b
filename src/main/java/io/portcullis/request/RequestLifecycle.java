package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.approval.ApprovalSubject;
import io.portcullis.approval.Chain;
import io.portcullis.approval.Decision;
import io.portcullis.approval.Stage;
import io.portcullis.catalog.Resource;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Username;
import io.portcullis.web.ClientAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * Opens and closes requests in the read model, called from {@code processes/jit-access.bpmn} as the
 * process's start listener {@code ${requestLifecycle.opened(execution)}} and as the end listeners
 * {@code ${requestLifecycle.close(execution, 'DENIED')}} (also LAPSED, CANCELLED) of the end events
 * that end a request without access.
 */
@Component("requestLifecycle")
public class RequestLifecycle {

  /** What a caller may give when starting the process; anything else is refused, naming it. */
  static final Set<String> START_VARIABLES =
      Set.of(
          AccessProcess.RESOURCE,
          AccessProcess.DURATION,
          AccessProcess.JUSTIFICATION,
          AccessProcess.TICKET,
          AccessProcess.STARTS_AT,
          AccessProcess.EXTENDS,
          AccessProcess.BREAK_GLASS,
          AccessProcess.RESOURCES,
          AccessProcess.BUNDLE);

  private final AccessRequestRules rules;
  private final AccessRequestRepository requests;
  private final RequestEvents events;
  private final BoundRequests bound;
  private final ApprovalChains approvals;
  private final RequestQueues queues;
  private final UnusualAccess unusual;
  private final ScheduledStarts starts;
  private final GrantExtensions extensions;
  private final BreakGlass breakGlass;
  private final BreakGlassReviews reviews;
  private final BreakGlassReview review;

  public RequestLifecycle(
      AccessRequestRules rules,
      AccessRequestRepository requests,
      RequestEvents events,
      BoundRequests bound,
      ApprovalChains approvals,
      RequestQueues queues,
      UnusualAccess unusual,
      ScheduledStarts starts,
      GrantExtensions extensions,
      BreakGlass breakGlass,
      BreakGlassReviews reviews,
      BreakGlassReview review) {
    this.breakGlass = breakGlass;
    this.reviews = reviews;
    this.review = review;
    this.extensions = extensions;
    this.starts = starts;
    this.unusual = unusual;
    this.queues = queues;
    this.bound = bound;
    this.rules = rules;
    this.requests = requests;
    this.events = events;
    this.approvals = approvals;
  }

  /**
   * A new instance of the access process starts: check the request against the rules whoever
   * started it, flag what is unusual about it ({@link UnusualAccess}), record it, and have the
   * approval policy choose its stages, the flags among its inputs. The requester is the
   * authenticated user who starts the process, never a variable, so nobody can ask in someone
   * else's name.
   */
  public void opened(DelegateExecution execution) {
    Authentication starter =
        execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (starter == null || starter.getUserId() == null) {
      throw new InvalidInputException(
          "requester", "an access request must be started by an authenticated user");
    }
    Username requester = Username.of("requester", starter.getUserId());
    for (String name : new TreeSet<>(execution.getVariableNames())) {
      if (!START_VARIABLES.contains(name)) {
        throw new InvalidInputException(name, "is not a field of an access request");
      }
    }
    String justification = text(execution, AccessProcess.JUSTIFICATION);
    String ticket = text(execution, AccessProcess.TICKET);
    AccessDuration duration = AccessDuration.from(execution.getVariable(AccessProcess.DURATION));
    AccessRequestRules.Asked asked =
        rules.check(
            text(execution, AccessProcess.RESOURCE),
            text(execution, AccessProcess.RESOURCES),
            text(execution, AccessProcess.BUNDLE),
            duration,
            justification,
            ticket);
    Resource resource = asked.resources().get(0);
    if (asked.several() && execution.getVariable(AccessProcess.EXTENDS) != null) {
      throw new InvalidInputException(
          asked.field(), "an extension extends one grant, and names no other resource");
    }
    Instant startAt =
        starts.check(ScheduledStarts.parse(execution.getVariable(AccessProcess.STARTS_AT)), now());

    // the business key becomes the request's id in URLs: whoever starts the process may choose it,
    // within these bounds after the rules, so a request that breaks one is told so and not that the
    // queue is full; the queue stays locked until this transaction ends, with the new request in it
    AccessRequest original =
        extensions.checkAsked(
            execution.getVariable(AccessProcess.EXTENDS), requester, resource, duration, startAt);
    queues.admit(requester, resource.id());
    // under the queue's lock and before the insert: the history is the person's earlier requests,
    // all of them
    Instant requestedAt = now();
    String address = ClientAddress.current().orElse(null);
    List<UnusualAccess.Flag> flags =
        unusual.of(requester, resource, duration, address, requestedAt);

    String businessKey = execution.getProcessBusinessKey();
    RequestId id;
    if (businessKey == null || businessKey.isBlank()) {
      id = RequestId.random();
      execution.setProcessBusinessKey(id.value());
    } else {
      id = RequestId.of("businessKey", businessKey);
    }
    AccessRequest request =
        AccessRequest.builder()
            .id(id)
            .processInstanceId(execution.getProcessInstanceId())
            .requester(requester)
            .access(resource.id(), resource.connector(), resource.target())
            .duration(duration)
            .justification(justification)
            .ticket(ticket == null || ticket.isEmpty() ? null : ticket)
            .status(RequestStatus.PENDING)
            .requestedAt(requestedAt)
            .clientAddress(address)
            .flags(flags)
            .startAt(startAt)
            .extendsId(original == null ? null : original.id())
            .bundle(asked.bundle())
            .build();
    requests.insert(request);
    if (asked.several()) {
      requests.insertParts(
          id,
          asked.resources().stream()
              .map(r -> new AccessRequestRepository.Part(r.id(), r.connector(), r.target()))
              .toList());
    }
    Set<String> groups =
        starter.getGroupIds() == null ? Set.of() : new HashSet<>(starter.getGroupIds());
    List<ApprovalSubject> subjects = new ArrayList<>();
    for (Resource asking : asked.resources()) {
      subjects.add(
          new ApprovalSubject(
              id,
              execution.getProcessInstanceId(),
              requester,
              groups,
              asking.id(),
              asking.environment(),
              asking.risk(),
              duration,
              original == null ? "access" : "extension",
              flags.stream().map(Enum::name).toList(),
              original == null
                  ? duration.value()
                  : GrantExtensions.totalWith(original, duration.value())));
    }
    BreakGlass.Opened glass =
        breakGlass(execution)
            ? breakGlass.open(
                subjects.get(0), ticket, startAt != null, original != null, asked.several())
            : null;
    // several resources: one chain, the union of what the policy asks for each
    Chain chain;
    if (glass != null) {
      chain = glass.chain();
    } else if (asked.several()) {
      chain = approvals.openForAll(subjects, asked.field(), asked.bundle());
    } else {
      chain = approvals.open(subjects.get(0));
    }
    // a break-glass is seen by the groups of the chain it skipped, as a request by its deciders
    requests.insertDeciders(id, glass == null ? chain.deciderGroups() : glass.skippedGroups());
    events.requested(request, chain);
    if (glass != null) {
      reviews.insert(id, requester, glass.reviewGroup(), glass.skippedGroups(), requestedAt);
      events.brokeGlass(request, chain.policy(), glass.skippedGroups(), glass.reviewGroup());
      review.start(execution, id);
    }

    // only what the engine itself needs to route the request: whether and how many stages run,
    // read by "Approval needed?" and the stages' loop in this same transaction only, so never
    // stored (issue 31)
    execution.setVariable(
        ApprovalProcess.APPROVAL_NEEDED, Variables.booleanValue(!chain.waived(), true));
    execution.setVariable(
        ApprovalProcess.STAGE_COUNT, Variables.integerValue(chain.stages().size(), true));
    // the timer of a scheduled start takes its date from what was stored, as the expiry does
    execution.setVariable(
        AccessProcess.SCHEDULED_START, startAt == null ? null : Date.from(startAt));
    execution.setVariable(
        AccessProcess.EXTENDS_REQUEST, original == null ? null : original.id().value());
    // the request as asked is stored now, and every step reads it there: its start variables,
    // which nothing reads again, are taken away before they are written (issue 31)
    for (String name : START_VARIABLES) {
      if (execution.hasVariableLocal(name)) {
        execution.removeVariableLocal(name);
      }
    }
  }

  /**
   * An approved request with a scheduled start begins to wait for it: SCHEDULED until its timer
   * fires ({@link CheckAtStart}), or until it is cancelled or revoked, which end it CANCELLED with
   * nothing granted. The start listener of "Wait for the start".
   */
  public void scheduled(DelegateExecution execution) {
    AccessRequest request =
        bound.of(execution.getProcessInstanceId(), execution.getCurrentActivityId());
    requests.markStatus(request.id(), RequestStatus.PENDING, RequestStatus.SCHEDULED);
  }

  /**
   * The request ends without access: denied, cancelled or lapsed. Who ended it and why is what
   * Portcullis stored: the deny decision, or the ask to cancel. A lapse or a deny is recorded only
   * when it really happened: a lapse when the waiting stage's deadline has passed (the engine's
   * clock), a deny when an approver denied. Anything else that reached these ends (an admin who
   * threw the error at the task, or started the instance at the end event) ended the request by
   * hand: it is recorded as cancelled, by the person who caused it.
   *
   * <p>Never for a request whose grant was attempted: the target may hold the access, so it ends
   * only through the revoke (docs/architecture.md, rule 13). The model cannot get here after the
   * attempt (denial, lapse and cancel belong to the stages, and the requester's leaving before the
   * access clock); an operator who moves the token here is refused, and the instance stays where it
   * was.
   */
  public void close(DelegateExecution execution, String status) {
    RequestStatus to = RequestStatus.valueOf(status);
    AccessRequest request =
        bound.of(execution.getProcessInstanceId(), execution.getCurrentActivityId());
    if (request.grantAttemptedAt() != null) {
      String why =
          "its grant was attempted at "
              + request.grantAttemptedAt()
              + "; it ends through the revoke, never "
              + to;
      events.stepNotOwed(request, execution.getCurrentActivityId(), why);
      throw new StepNotOwedException("request " + request.id() + ": " + why);
    }
    Chain chain = approvals.of(request.id()).orElseThrow();
    String causedBy = personWhoRuns(execution);
    String endedBy;
    String reason;
    switch (to) {
      case DENIED -> {
        Optional<Decision> deny = chain.denial();
        if (deny.isPresent()) {
          endedBy = deny.get().approver().value();
          reason = deny.get().comment();
        } else {
          to = RequestStatus.CANCELLED;
          endedBy = causedBy;
          reason = "ended by hand as denied, though no approver denied it";
        }
      }
      case LAPSED -> {
        Instant now = now();
        String stage =
            chain
                .current()
                .map(s -> "stage " + s.position() + " (" + s.approverGroup() + ")")
                .orElse("no stage");
        if (extensions.outlived(request)) {
          endedBy = causedBy;
          reason = "its grant " + request.extendsId() + " ended before a decision";
        } else if (chain.lapsed(now)) {
          endedBy = causedBy;
          reason =
              chain
                  .current()
                  .map(s -> "no decision at " + stage + " within " + s.deadline())
                  .orElseThrow();
        } else {
          to = RequestStatus.CANCELLED;
          endedBy = causedBy;
          reason =
              "ended by hand as lapsed before its deadline"
                  + chain
                      .current()
                      .map(Stage::lapsesAt)
                      .map(at -> " (" + stage + " lapses at " + at + ")")
                      .orElse("")
                  + "; nobody decided";
        }
      }
      default -> {
        var asked = requests.endRequestOf(request.id());
        endedBy = asked.map(AccessRequestRepository.EndRequest::by).orElse(null);
        reason = asked.map(AccessRequestRepository.EndRequest::reason).orElse(null);
      }
    }
    if (requests.markEnded(
        request.id(),
        List.of(RequestStatus.PENDING, RequestStatus.SCHEDULED),
        to,
        now(),
        endedBy,
        reason)) {
      events.closed(requests.find(request.id()).orElseThrow(), to, endedBy, reason);
    }
  }

  /** The person the engine runs this step for; null for the engine's own work (a timer, a job). */
  private static String personWhoRuns(DelegateExecution execution) {
    Authentication caller =
        execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    return caller == null ? null : caller.getUserId();
  }

  /** Whether the start asks to break glass: true or false (as a boolean or as text), or absent. */
  private static boolean breakGlass(DelegateExecution execution) {
    Object value = execution.getVariable(AccessProcess.BREAK_GLASS);
    if (value == null || Boolean.FALSE.equals(value) || "false".equals(value)) {
      return false;
    }
    if (Boolean.TRUE.equals(value) || "true".equals(value)) {
      return true;
    }
    throw new InvalidInputException(AccessProcess.BREAK_GLASS, "must be true or false");
  }

  /** A start variable that must be text, if present; anything else is refused naming it. */
  private static String text(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    if (value != null && !(value instanceof String)) {
      throw new InvalidInputException(name, "must be text");
    }
    return (String) value;
  }

  /** The engine's clock, which tests move. */
  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
