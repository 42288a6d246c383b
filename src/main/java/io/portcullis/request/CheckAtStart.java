package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.ApprovalSubject;
import io.portcullis.approval.Chain;
import io.portcullis.audit.AuditEvent;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.LeavingPeople;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.stereotype.Component;

/**
 * "Check the requester again": at a scheduled start, days may have passed since the approval. The
 * requester gets nothing when an offboarding froze them ({@link LeavingPeople}), when the target's
 * system says their account is disabled, when the catalog no longer offers the resource as it was
 * approved (gone, another target, a shorter longest duration than approved), when the approval
 * policy as deployed now has no rule for it (with the requester's groups now), or when the approved
 * time, counted from the start, is over already (an approval that came too late). Then the request
 * ends CANCELLED with the reason, audited; nothing reached the target. Otherwise it is PENDING
 * again, on its way to the grant as any approved request.
 */
@Component("checkAtStart")
public class CheckAtStart implements JavaDelegate {

  /** A retry after the step moved it on finds it PENDING. */
  private static final Set<RequestStatus> WAITING =
      Set.of(RequestStatus.SCHEDULED, RequestStatus.PENDING);

  private final BoundRequests bound;
  private final AccessRequestRepository requests;
  private final RequestEvents events;
  private final ApprovalChains approvals;
  private final LeavingPeople leaving;
  private final Catalog catalog;
  private final Connectors connectors;

  CheckAtStart(
      BoundRequests bound,
      AccessRequestRepository requests,
      RequestEvents events,
      ApprovalChains approvals,
      LeavingPeople leaving,
      Catalog catalog,
      Connectors connectors) {
    this.bound = bound;
    this.requests = requests;
    this.events = events;
    this.approvals = approvals;
    this.leaving = leaving;
    this.catalog = catalog;
    this.connectors = connectors;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest request =
        bound.of(execution.getProcessInstanceId(), AccessProcess.TASK_CHECK_AT_START);
    requests.lockAccessOf(request);
    AccessRequest current = requests.find(request.id()).orElseThrow();
    Optional<Chain> chain = approvals.of(current.id());
    String notOwed =
        !WAITING.contains(current.status())
            ? "the request is " + current.status() + "; no grant is owed"
            : !chain.map(Chain::approved).orElse(false)
                ? "the request has no approval on record; no grant is owed"
                : null;
    if (notOwed != null) {
      events.stepNotOwed(current, AccessProcess.TASK_CHECK_AT_START, notOwed);
      throw new StepNotOwedException("request " + current.id() + ": " + notOwed);
    }
    Optional<String> refusal =
        refusal(
            current,
            chain.get().approvedDuration().value(),
            execution.getProcessEngineServices().getIdentityService());
    if (refusal.isPresent()) {
      requests.requestEnd(current.id(), AuditEvent.SYSTEM, refusal.get());
      throw new BpmnError(AccessProcess.ERROR_START_REFUSED, refusal.get());
    }
    requests.markStatus(current.id(), RequestStatus.SCHEDULED, RequestStatus.PENDING);
  }

  /**
   * Why the requester may not have the access now; empty: they may. A request for several resources
   * is asked about each, and one refusal refuses all of it.
   */
  private Optional<String> refusal(
      AccessRequest request, Duration approved, IdentityService identity) {
    if (leaving.frozen(request.requester())) {
      return Optional.of("at its start, the requester is being offboarded");
    }
    Instant now = RequestLifecycle.now();
    if (request.startAt() != null && !request.startAt().plus(approved).isAfter(now)) {
      return Optional.of(
          "its approved time, counted from its start at "
              + request.startAt()
              + ", was over before it could start");
    }
    Set<String> groups =
        identity.createGroupQuery().groupMember(request.requester().value()).list().stream()
            .map(Group::getId)
            .collect(Collectors.toSet());
    for (AccessRequest part : requests.partsOf(request)) {
      Optional<String> refusal = refusalOf(part, approved, groups);
      if (refusal.isPresent()) {
        return refusal;
      }
    }
    return Optional.empty();
  }

  /** Why the requester may not have this one resource now; empty: they may. */
  private Optional<String> refusalOf(AccessRequest request, Duration approved, Set<String> groups) {
    Optional<Resource> resource = catalog.find(request.resource());
    if (resource.isEmpty()) {
      return Optional.of("at its start, the catalog no longer has " + request.resource());
    }
    if (!resource.get().connector().equals(request.connector())
        || !resource.get().target().equals(request.target())) {
      return Optional.of(
          "at its start, the catalog grants " + request.resource() + " through another target");
    }
    if (approved.compareTo(resource.get().maxDuration()) > 0) {
      return Optional.of(
          "at its start, the catalog allows "
              + request.resource()
              + " for at most "
              + resource.get().maxDuration()
              + ", less than the approved "
              + approved);
    }
    Optional<String> policy =
        approvals.refusalNow(
            new ApprovalSubject(
                request.id(),
                request.processInstanceId(),
                request.requester(),
                groups,
                request.resource(),
                resource.get().environment(),
                resource.get().risk(),
                request.duration(),
                "access",
                request.flags().stream().map(Enum::name).toList(),
                null));
    if (policy.isPresent()) {
      return Optional.of("at its start, the approval policy refuses it: " + policy.get());
    }
    Optional<AccountControl> accounts = connectors.named(request.connector(), AccountControl.class);
    if (accounts.isPresent() && accounts.get().isDisabled(request.requester())) {
      return Optional.of(
          "at its start, the requester's account in " + request.connector() + " is disabled");
    }
    return Optional.empty();
  }
}
