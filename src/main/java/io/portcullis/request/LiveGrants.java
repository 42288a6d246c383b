package io.portcullis.request;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import java.util.Collection;
import java.util.List;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The grants that may be live (ACTIVE, or attempted and not confirmed, docs/architecture.md rule
 * 13), for a module that must never take away what a grant gives (the {@code drift} module), one
 * for each resource of a grant: a request for several gives every one of them.
 */
@NamedInterface("grants")
@Component
public class LiveGrants {

  private final AccessRequestRepository requests;

  LiveGrants(AccessRequestRepository requests) {
    this.requests = requests;
  }

  /**
   * Every grant through this connector that may be live. A request for several resources counts
   * once for each of its resources there ({@link AccessRequestRepository#partsOf}): its connector
   * and target are that resource's.
   */
  public List<AccessRequest> on(ConnectorName connector) {
    return requests.liveGrantsOn(connector).stream()
        .flatMap(r -> requests.partsOf(r).stream())
        .filter(part -> part.connector().equals(connector))
        .toList();
  }

  /**
   * Locks these people until the transaction ends, as a grant's first steps lock its requester
   * before they record the attempt: whatever removes access after this and {@link #of} cannot cross
   * a grant in flight, even one not yet attempted (it waits, and is granted after the removal).
   */
  public void lockPeople(Collection<Username> people) {
    requests.lockPeople(people);
  }

  /**
   * The person's grants that may be live, oldest first; a request for several resources once for
   * each of them ({@link AccessRequestRepository#partsOf}).
   */
  public List<AccessRequest> of(Username person) {
    return requests.liveGrantsOf(person, false).stream()
        .flatMap(r -> requests.partsOf(r).stream())
        .toList();
  }
}
