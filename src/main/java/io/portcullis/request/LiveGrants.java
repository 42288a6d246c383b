package io.portcullis.request;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import java.util.Collection;
import java.util.List;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The grants that may be live (ACTIVE, or attempted and not confirmed, docs/architecture.md rule
 * 13), for a module that must never take away what a grant gives (the {@code drift} module).
 */
@NamedInterface("grants")
@Component
public class LiveGrants {

  private final AccessRequestRepository requests;

  LiveGrants(AccessRequestRepository requests) {
    this.requests = requests;
  }

  /** Every grant through this connector that may be live. */
  public List<AccessRequest> on(ConnectorName connector) {
    return requests.liveGrantsOn(connector);
  }

  /**
   * Locks these people until the transaction ends, as a grant's first steps lock its requester
   * before they record the attempt: whatever removes access after this and {@link #of} cannot cross
   * a grant in flight, even one not yet attempted (it waits, and is granted after the removal).
   */
  public void lockPeople(Collection<Username> people) {
    requests.lockPeople(people);
  }

  /** The person's grants that may be live, oldest first. */
  public List<AccessRequest> of(Username person) {
    return requests.liveGrantsOf(person, false);
  }
}
