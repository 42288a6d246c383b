package io.portcullis.request;

import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.impl.MessageCorrelationBuilderImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.stereotype.Component;

/**
 * What an offboarding asks of the requests of a person who leaves: their grants, ended through each
 * grant's own process (status REVOKED, its history whole), and their requests not yet granted, cancelled.
 * A grant is one that may be live: ACTIVE, or attempted and not confirmed, which the target may hold all
 * the same (DESIGN rule 13: its call may have timed out after the target applied it). Called from saga
 * steps, inside the engine's command: the stored ask and the message that wakes the request's instance
 * commit with the step.
 */
@Component
public class AccessOfLeavers {

  private final AccessRequestRepository requests;
  private final ManagementService management;

  AccessOfLeavers(AccessRequestRepository requests, ManagementService management) {
    this.requests = requests;
    this.management = management;
  }

  /** The person's grants that may be live: ACTIVE, or attempted and not confirmed (PENDING or FAILED). */
  public List<AccessRequest> activeGrants(String username) {
    return requests.liveGrantsOf(username, false);
  }

  /** The same, locked until the transaction ends: a revoke that ends one waits for it. */
  public List<AccessRequest> lockActiveGrants(String username) {
    return requests.liveGrantsOf(username, true);
  }

  /** The person's requests that may still lead to a grant and whose grant was never attempted: PENDING, or FAILED at a step before it. */
  public List<AccessRequest> pendingRequests(String username) {
    return requests.unattemptedOf(username);
  }

  /**
   * Asks the grant's own process to revoke it, as {@code by} for {@code reason}.
   *
   * A grant attempted and not confirmed is ended the same way: its process ends the attempt and revokes.
   *
   * @return true when the grant's process will end it ({@link AccessEnded} follows when it has); false
   *     when it has ended, so there is nothing to wait for
   */
  public boolean endGrant(String requestId, String by, String reason) {
    AccessRequest request = requests.find(requestId).orElseThrow();
    requests.lockAccessOf(request);
    AccessRequest current = requests.find(requestId).orElseThrow();
    if (current.status() != RequestStatus.ACTIVE && !current.grantUnconfirmed()) {
      return false;
    }
    requests.requestEnd(requestId, by, reason);
    try {
      new MessageCorrelationBuilderImpl(Context.getCommandContext(), AccessProcess.MESSAGE_REVOKE)
          .processInstanceId(current.processInstanceId()).correlate();
    } catch (MismatchingMessageCorrelationException alreadyEnding) {
      // its expiry fired and its revoke is under way: that revoke reads the ask stored above
    }
    return true;
  }

  /**
   * Cancels a request that has not been granted, as {@code by} for {@code reason}. One still being
   * decided is cancelled now; one approved and on its way to the grant ends CANCELLED at the step that
   * starts its access clock, which refuses a leaver ({@code LeavingPeople}) before any grant is attempted;
   * one whose step ran out of retries is given one more try, which ends it the same way. One whose grant
   * was attempted is a grant: it is ended through its revoke.
   *
   * @return how it ends: {@link Cancel#NOW} (it ends CANCELLED as this step commits), {@link Cancel#AT_GRANT},
   *     {@link Cancel#REVOKE} when its grant was attempted meanwhile, or {@link Cancel#NOT_PENDING} when it
   *     was granted or ended meanwhile
   */
  public Cancel cancel(String requestId, String by, String reason) {
    AccessRequest request = requests.find(requestId).orElseThrow();
    requests.lockAccessOf(request);
    AccessRequest current = requests.find(requestId).orElseThrow();
    if (current.status() != RequestStatus.PENDING && current.status() != RequestStatus.FAILED) {
      return Cancel.NOT_PENDING;
    }
    if (current.grantUnconfirmed()) {
      return endGrant(requestId, by, reason) ? Cancel.REVOKE : Cancel.NOT_PENDING;
    }
    requests.requestEnd(requestId, by, reason);
    try {
      // the request's instance moves to its end when this step's own work is done, in this transaction
      new MessageCorrelationBuilderImpl(Context.getCommandContext(), AccessProcess.MESSAGE_CANCEL)
          .processInstanceId(current.processInstanceId()).correlate();
      return Cancel.NOW;
    } catch (MismatchingMessageCorrelationException pastApproval) {
      for (Job job : management.createJobQuery().processInstanceId(current.processInstanceId()).noRetriesLeft().list()) {
        management.setJobRetries(job.getId(), 1);
      }
      return Cancel.AT_GRANT;
    }
  }

  /** How a leaver's pending request is cancelled. */
  public enum Cancel {
    /** It was still being decided: it ends CANCELLED with the step that asked. */
    NOW,
    /** It was approved already: the step before its grant refuses the leaver and ends it CANCELLED. */
    AT_GRANT,
    /** Its grant was attempted meanwhile: its process ends it through the revoke, like a grant ({@link #endGrant}). */
    REVOKE,
    /** It was granted or ended meanwhile: nothing to cancel. */
    NOT_PENDING
  }

  /**
   * A grant ended (EXPIRED or REVOKED) and the target confirmed it, confirmed or only attempted before:
   * published in the revoke's transaction.
   */
  public record AccessEnded(String requestId, String requester, RequestStatus status) {}
}
