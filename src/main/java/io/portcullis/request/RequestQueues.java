package io.portcullis.request;

import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.TooManyException;
import io.portcullis.kernel.Username;
import org.springframework.stereotype.Component;

/**
 * How many requests one person may have waiting: at most {@code portcullis.requests.max-pending} in
 * all and {@code max-pending-per-resource} for one resource. Without a bound one person could fill
 * every approver's queue (a flood of 510 requests hid a new one from its approver). Checked where
 * every door ends, when the access process starts ({@link RequestLifecycle#opened}), so the API,
 * Tasklist and the engine's REST API hold the same bound.
 *
 * <p>The count is exact under concurrency, on one node or several: the person's queue is locked in
 * the database ({@link AccessRequestRepository#lockQueueOf}) before it is counted, in the
 * transaction that then inserts the new request, so a second opening for the same person waits and
 * counts the first.
 */
@Component
class RequestQueues {

  private final AccessRequestRepository requests;
  private final RequestSettings settings;

  RequestQueues(AccessRequestRepository requests, RequestSettings settings) {
    this.requests = requests;
    this.settings = settings;
  }

  /**
   * Admits one more pending request of this person for this resource, or refuses it: a conflict
   * when they have the most for the resource already, too many when they have the most in all.
   * Holds the person's queue locked until the transaction ends.
   */
  void admit(Username requester, ResourceId resource) {
    requests.lockQueueOf(requester);
    long forResource = requests.countPending(requester, resource);
    if (forResource >= settings.maxPendingPerResource()) {
      throw new ConflictException(
          requester
              + " has "
              + forResource
              + " requests for "
              + resource
              + " waiting already, the most one person may have for one resource (portcullis.requests.max-pending-per-resource = "
              + settings.maxPendingPerResource()
              + "); cancel one or wait until one is decided");
    }
    long all = requests.countPending(requester, null);
    if (all >= settings.maxPending()) {
      throw new TooManyException(
          requester
              + " has "
              + all
              + " requests waiting already, the most one person may have (portcullis.requests.max-pending = "
              + settings.maxPending()
              + "); cancel one or wait until one is decided");
    }
  }
}
