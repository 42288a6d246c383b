package io.portcullis.request;

import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.request.AccessRequestRepository.EndRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Ends a grant, at expiry or on request. The access is taken away unless something else still needs
 * it: another live grant of Portcullis, or a standing membership that was there before this grant.
 * The request stays as it is (ACTIVE, or PENDING for a grant never confirmed) until the target
 * confirms that the access is gone.
 *
 * <p>A grant that was attempted and never confirmed is revoked all the same (docs/architecture.md,
 * rule 13): its call may have timed out after the target applied it. It ends REVOKED (or EXPIRED,
 * when its clock ran out), never CANCELLED, with {@code "grantConfirmed": false} in the audit
 * trail. A request whose grant was never attempted had nothing reach the target: it ends CANCELLED
 * with no connector call.
 *
 * <p>Whether this is an expiry or a revoke, and by whom, comes from what Portcullis stored when the
 * end was asked for, never from a variable. A request that has ended owes no revoke: the step then
 * does nothing, so a repeated step never takes away access that a later grant gave.
 *
 * <p>An expiry takes the other expiries due with it on the same target ({@link ExpiriesTogether}):
 * one connector call for all, and each of them ended here as its own step would end it, with its
 * own audit event; its own step then finds it ended and owes nothing.
 */
@Component("revokeAccess")
public class RevokeAccess implements JavaDelegate {

  private static final Logger log = LoggerFactory.getLogger(RevokeAccess.class);

  private final BoundRequests bound;
  private final AccessRequestRepository requests;
  private final Connectors connectors;
  private final RequestEvents events;
  private final ApplicationEventPublisher publisher;
  private final GrantExtensions extensions;
  private final ExpiriesTogether together;

  public RevokeAccess(
      BoundRequests bound,
      AccessRequestRepository requests,
      Connectors connectors,
      RequestEvents events,
      ApplicationEventPublisher publisher,
      GrantExtensions extensions,
      ExpiriesTogether together) {
    this.together = together;
    this.extensions = extensions;
    this.publisher = publisher;
    this.bound = bound;
    this.requests = requests;
    this.connectors = connectors;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest bound =
        this.bound.of(execution.getProcessInstanceId(), AccessProcess.TASK_REVOKE);
    requests.lockAccessOf(bound);
    AccessRequest request = requests.find(bound.id()).orElseThrow();
    boolean unconfirmed = request.grantUnconfirmed();
    if (request.status() != RequestStatus.ACTIVE && !unconfirmed) {
      if (request.status() == RequestStatus.PENDING || request.status() == RequestStatus.FAILED) {
        closeUnattempted(request);
      } else {
        log.info("request {} is {}: no revoke is owed", request.id(), request.status());
      }
      return;
    }
    List<AccessRequest> parts = requests.partsOf(request);
    Optional<EndRequest> asked = requests.endRequestOf(request.id());
    boolean expired =
        asked.isEmpty()
            && request.expiresAt() != null
            && !RequestLifecycle.now().isBefore(request.expiresAt());
    ExpiriesTogether.Batch batch =
        expired && !unconfirmed && parts.size() == 1 && keptBecause(request) == null
            ? together.revoke(request)
            : ExpiriesTogether.Batch.NONE;
    List<String> kept = new ArrayList<>();
    if (!batch.revoked()) {
      for (AccessRequest part : parts) {
        String keptBecause = revoke(part);
        if (keptBecause != null) {
          kept.add(parts.size() == 1 ? keptBecause : part.resource() + ": " + keptBecause);
        }
      }
    }
    end(request, unconfirmed, asked, expired, kept.isEmpty() ? null : String.join("; ", kept));
    // each ends as its own step would have ended it; its step, when it runs, finds it ended
    for (AccessRequest other : batch.alsoGone()) {
      end(other, false, Optional.empty(), true, null);
    }
  }

  private void end(
      AccessRequest request,
      boolean unconfirmed,
      Optional<EndRequest> asked,
      boolean expired,
      String keptBecause) {
    // all or none: one resource of several failed its grant, and every other one is gone now
    RequestStatus outcome =
        request.failedResource() != null
            ? RequestStatus.FAILED
            : expired ? RequestStatus.EXPIRED : RequestStatus.REVOKED;
    String endedBy = asked.map(EndRequest::by).orElse(null);
    // an operator who sends the revoke message through the engine, not Portcullis' API, left no ask
    String reason =
        asked
            .map(EndRequest::reason)
            .orElse(expired ? "expired" : "revoked before its expiry outside Portcullis' API");
    List<RequestStatus> from =
        unconfirmed
            ? List.of(RequestStatus.PENDING, RequestStatus.FAILED)
            : List.of(RequestStatus.ACTIVE);
    if (requests.markEnded(request.id(), from, outcome, RequestLifecycle.now(), endedBy, reason)) {
      events.ended(request, outcome, endedBy, reason, keptBecause);
      extensions.lapseOpenExtensionsOf(request);
      publisher.publishEvent(
          new AccessOfLeavers.AccessEnded(request.id(), request.requester(), outcome));
    }
  }

  /** Why this access stays when its grant ends; null when it is to be taken away. */
  private String keptBecause(AccessRequest access) {
    return access.accessPreexisted()
        ? "standing access that predates this grant"
        : requests.anotherGrantNeeds(access) ? "another live grant gives the same access" : null;
  }

  /**
   * Takes one access away, and reads it back, unless something else still needs it.
   *
   * @return why it was kept; null when it was removed
   */
  private String revoke(AccessRequest access) {
    String keptBecause = keptBecause(access);
    if (keptBecause == null) {
      Connector connector = connectors.named(access.connector());
      connector.revoke(access.requester(), access.target());
      if (connector.holds(access.requester(), access.target())) {
        throw new ConnectorException(
            access.connector()
                + " reported success, but "
                + access.requester()
                + " still holds "
                + access.target());
      }
    }
    return keptBecause;
  }

  /**
   * Nothing was attempted, so nothing can have reached the target: the request ends CANCELLED, for
   * the stored ask.
   */
  private void closeUnattempted(AccessRequest request) {
    Optional<EndRequest> asked = requests.endRequestOf(request.id());
    String endedBy = asked.map(EndRequest::by).orElse(null);
    String reason = asked.map(EndRequest::reason).orElse("ended before its grant was attempted");
    if (requests.markEnded(
        request.id(),
        List.of(RequestStatus.PENDING, RequestStatus.FAILED),
        RequestStatus.CANCELLED,
        RequestLifecycle.now(),
        endedBy,
        reason)) {
      events.closed(request, RequestStatus.CANCELLED, endedBy, reason);
    }
  }
}
