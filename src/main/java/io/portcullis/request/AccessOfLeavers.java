package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.Chain;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Username;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.MessageCorrelationBuilderImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * What an offboarding asks of the requests of a person who leaves: their grants, ended through each
 * grant's own process (status REVOKED, its history whole), and their requests not yet granted,
 * cancelled. A grant is one that may be live: ACTIVE, or attempted and not confirmed, which the
 * target may hold all the same (docs/architecture.md, rule 13: its call may have timed out after
 * the target applied it). Called from saga steps, inside the engine's command: the stored ask and
 * the message that wakes the request's instance commit with the step.
 */
@NamedInterface("leavers")
@Component
public class AccessOfLeavers {

  private final AccessRequestRepository requests;
  private final ManagementService management;
  private final RuntimeService runtime;
  private final ApprovalChains approvals;
  private final RequestEvents events;

  AccessOfLeavers(
      AccessRequestRepository requests,
      ManagementService management,
      RuntimeService runtime,
      ApprovalChains approvals,
      RequestEvents events) {
    this.requests = requests;
    this.management = management;
    this.runtime = runtime;
    this.approvals = approvals;
    this.events = events;
  }

  /**
   * The person's grants that may be live: ACTIVE, or attempted and not confirmed (PENDING or
   * FAILED). A request for several resources is here once for each ({@link
   * AccessRequestRepository#partsOf}, its connector and target that resource's), all with its one
   * id: ending any of them ends the request, and so all of it.
   */
  public List<AccessRequest> activeGrants(Username username) {
    return parts(requests.liveGrantsOf(username, false));
  }

  /** The same, locked until the transaction ends: a revoke that ends one waits for it. */
  public List<AccessRequest> lockActiveGrants(Username username) {
    return parts(requests.liveGrantsOf(username, true));
  }

  private List<AccessRequest> parts(List<AccessRequest> grants) {
    return grants.stream().flatMap(g -> requests.partsOf(g).stream()).toList();
  }

  /**
   * The person's requests that may still lead to a grant and whose grant was never attempted:
   * PENDING, SCHEDULED (approved, waiting for its start), or FAILED at a step before it.
   */
  public List<AccessRequest> pendingRequests(Username username) {
    return requests.unattemptedOf(username);
  }

  /**
   * Asks the grant's own process to revoke it, as {@code by} for {@code reason}. A grant attempted
   * and not confirmed is ended the same way: its process ends the attempt and revokes.
   *
   * @return empty when the grant's process will end it ({@link AccessEnded} follows when it has);
   *     otherwise the status it had ended with already, when there is nothing to wait for
   */
  public Optional<RequestStatus> endGrant(RequestId requestId, String by, String reason) {
    AccessRequest request = requests.find(requestId).orElseThrow();
    requests.lockAccessOf(request);
    AccessRequest current = requests.find(requestId).orElseThrow();
    if (current.status() != RequestStatus.ACTIVE && !current.grantUnconfirmed()) {
      return Optional.of(current.status());
    }
    requests.requestEnd(requestId, by, reason);
    try {
      new MessageCorrelationBuilderImpl(Context.getCommandContext(), AccessProcess.MESSAGE_REVOKE)
          .processInstanceId(current.processInstanceId())
          .correlate();
    } catch (MismatchingMessageCorrelationException alreadyEnding) {
      // its expiry fired and its revoke is under way: that revoke reads the ask stored above
    }
    return Optional.empty();
  }

  /**
   * Cancels a request that has not been granted, as {@code by} for {@code reason}, and says how.
   * One still being decided, or SCHEDULED (waiting for its start), is cancelled now. One approved
   * and on its way to the grant ends CANCELLED at its grant step, which refuses a leaver ({@code
   * LeavingPeople}); one whose grant ran out of retries is given one more try, which ends it the
   * same way. One that no decision can reach any more and that was never approved (its process left
   * its approval stages without a decision, or ended), or whose process ended before its grant, is
   * closed CANCELLED here: nothing else would ever end it, and its process, if one is left, is
   * ended too. Whatever such a request may have left in a target is found by the offboarding's
   * discovery like any other membership. One whose grant was attempted is a grant: it is ended
   * through its revoke.
   */
  public Cancellation cancel(RequestId requestId, String by, String reason) {
    AccessRequest request = requests.find(requestId).orElseThrow();
    requests.lockAccessOf(request);
    AccessRequest current = requests.find(requestId).orElseThrow();
    if (current.endedAt() != null
        || (current.status() != RequestStatus.PENDING
            && current.status() != RequestStatus.SCHEDULED
            && current.status() != RequestStatus.FAILED)) {
      return new Cancellation(Cancel.NOT_PENDING, current.status(), false);
    }
    if (current.grantUnconfirmed()) {
      return new Cancellation(
          endGrant(requestId, by, reason).isEmpty() ? Cancel.REVOKE : Cancel.NOT_PENDING,
          current.status(),
          true);
    }
    requests.requestEnd(requestId, by, reason);
    try {
      // the request's instance moves to its end when this step's own work is done, in this
      // transaction
      new MessageCorrelationBuilderImpl(Context.getCommandContext(), AccessProcess.MESSAGE_CANCEL)
          .processInstanceId(current.processInstanceId())
          .correlate();
      return current.status() == RequestStatus.SCHEDULED
          ? new Cancellation(Cancel.BEFORE_START, RequestStatus.CANCELLED, true)
          : new Cancellation(Cancel.NOW, RequestStatus.CANCELLED, false);
    } catch (MismatchingMessageCorrelationException pastApproval) {
      boolean approved = approvals.of(requestId).map(Chain::approved).orElse(false);
      boolean running =
          runtime
                  .createProcessInstanceQuery()
                  .processInstanceId(current.processInstanceId())
                  .count()
              > 0;
      if (approved && running) {
        for (Job job :
            management
                .createJobQuery()
                .processInstanceId(current.processInstanceId())
                .noRetriesLeft()
                .list()) {
          management.setJobRetries(job.getId(), 1);
        }
        return new Cancellation(Cancel.AT_GRANT, current.status(), true);
      }
      if (requests.markEnded(
          requestId,
          List.of(RequestStatus.PENDING, RequestStatus.SCHEDULED, RequestStatus.FAILED),
          RequestStatus.CANCELLED,
          RequestLifecycle.now(),
          by,
          reason)) {
        events.closed(current, RequestStatus.CANCELLED, by, reason);
      }
      if (running) {
        runtime.deleteProcessInstance(
            current.processInstanceId(),
            "request " + requestId + " closed by " + by + ": no decision could reach it any more",
            true,
            true);
      }
      return new Cancellation(Cancel.CLOSED, RequestStatus.CANCELLED, approved);
    }
  }

  /** How a leaver's pending request was cancelled. */
  @NamedInterface("leavers")
  public enum Cancel {
    /**
     * It was still being decided, or approved and waiting for its scheduled start: it ends
     * CANCELLED with the step that asked.
     */
    NOW,
    /**
     * It was approved and waited for its scheduled start (SCHEDULED): it ends CANCELLED with the
     * step that asked, never granted.
     */
    BEFORE_START,
    /**
     * It was approved already: the step before its grant refuses the leaver and ends it CANCELLED.
     */
    AT_GRANT,
    /**
     * Its grant was attempted meanwhile: its process ends it through the revoke, like a grant
     * ({@link #endGrant}).
     */
    REVOKE,
    /**
     * No decision could reach it any more (stranded), or its process had ended before its grant:
     * closed CANCELLED by the step that asked.
     */
    CLOSED,
    /** It was granted or ended meanwhile: nothing to cancel. */
    NOT_PENDING
  }

  /**
   * What a cancel did to one request.
   *
   * @param status its status afterwards (for {@link Cancel#AT_GRANT}: until its grant step ends it)
   * @param approved whether its approval chain was complete (or waived)
   */
  @NamedInterface("leavers")
  public record Cancellation(Cancel how, RequestStatus status, boolean approved) {}

  /**
   * A grant ended (EXPIRED or REVOKED) and the target confirmed it, confirmed or only attempted
   * before: published in the revoke's transaction.
   */
  @NamedInterface("leavers")
  public record AccessEnded(RequestId requestId, Username requester, RequestStatus status) {}
}
