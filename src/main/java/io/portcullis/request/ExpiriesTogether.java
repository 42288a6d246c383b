package io.portcullis.request;

import io.portcullis.connector.BatchRevoke;
import io.portcullis.connector.BatchRevoke.Revoked;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.Username;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The other grants on one target whose ends came with this one's, revoked in one call of the
 * connector ({@link BatchRevoke}) by the revoke step of the first of them to run.
 *
 * <p>Only grants whose end has come are taken (an end still ahead could be extended), each locked
 * for the rest of the step's transaction with SKIP LOCKED: a grant that another step holds now is
 * left to its own revoke, and the batch never waits for a lock, so it cannot deadlock with the
 * steps whose rows it takes. The revoking step ends each grant the read-back shows gone, in its own
 * transaction: a crash after the connector's call and before the commit leaves them all ACTIVE, and
 * each one's own step then revokes again (nothing held: nothing changes) and ends it once. A grant
 * whose access is still held, or a batch call that failed, is left to its own step, with its own
 * retries and incident.
 */
@Component
class ExpiriesTogether {

  private static final Logger log = LoggerFactory.getLogger(ExpiriesTogether.class);

  private final AccessRequestRepository requests;
  private final Connectors connectors;
  private final ExpiryBatchSettings settings;

  ExpiriesTogether(
      AccessRequestRepository requests, Connectors connectors, ExpiryBatchSettings settings) {
    this.requests = requests;
    this.connectors = connectors;
    this.settings = settings;
  }

  /**
   * What a batch with this expired grant did.
   *
   * @param revoked whether this grant's access is confirmed gone; false when its own revoke must
   *     run
   * @param alsoGone the other grants whose access the read-back showed gone, to be ended now
   */
  record Batch(boolean revoked, List<AccessRequest> alsoGone) {
    static final Batch NONE = new Batch(false, List.of());
  }

  /** Revokes this expired grant, of one resource, together with the others due with it. */
  Batch revoke(AccessRequest expired) {
    if (settings.off() || expired.expiresAt() == null) {
      return Batch.NONE;
    }
    Optional<BatchRevoke> batch = connectors.named(expired.connector(), BatchRevoke.class);
    if (batch.isEmpty()) {
      return Batch.NONE;
    }
    Instant now = RequestLifecycle.now();
    Instant latest = expired.expiresAt().plus(settings.expiryBatchWindow());
    List<AccessRequest> others =
        requests
            .endedTogetherWith(
                expired,
                expired.expiresAt().minus(settings.expiryBatchWindow()),
                latest.isBefore(now) ? latest : now,
                settings.expiryBatchMax() - 1)
            .stream()
            .filter(other -> !other.requester().equals(expired.requester()))
            .filter(other -> !requests.anotherGrantNeeds(other))
            .toList();
    if (others.isEmpty()) {
      return Batch.NONE;
    }
    TreeSet<Username> people = new TreeSet<>();
    people.add(expired.requester());
    others.forEach(other -> people.add(other.requester()));
    SortedMap<Username, Revoked> answer;
    try {
      answer = batch.get().revokeAll(expired.target(), people);
    } catch (ConnectorException e) {
      log.warn(
          "revoking {} grants of {} together failed, each is revoked on its own: {}",
          people.size(),
          expired.target(),
          e.getMessage());
      return Batch.NONE;
    }
    List<AccessRequest> gone = new ArrayList<>();
    for (AccessRequest other : others) {
      if (gone(answer.get(other.requester()))) {
        gone.add(other);
      }
    }
    return new Batch(gone(answer.get(expired.requester())), gone);
  }

  private static boolean gone(Revoked answer) {
    return answer == Revoked.REMOVED || answer == Revoked.ABSENT;
  }
}
