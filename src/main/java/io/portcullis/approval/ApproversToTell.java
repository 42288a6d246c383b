package io.portcullis.approval;

import io.portcullis.notification.Notice.Recipients;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Whom a notice about a stage of a chain is for, whatever it says (a task waits, it is overdue):
 * the groups that decide it, and by name the delegates in force of their members, who decide in
 * their place and need not be members themselves; never the requester. Every notice to a stage's
 * approvers asks here, so a delegate hears what their delegator hears.
 */
@NamedInterface("chains")
@Component
public class ApproversToTell {

  private final DelegatedTasks delegated;

  ApproversToTell(DelegatedTasks delegated) {
    this.delegated = delegated;
  }

  public Recipients of(Chain chain, Collection<String> groups) {
    return new Recipients(
        List.copyOf(delegated.delegatesFor(chain, groups)),
        List.copyOf(groups),
        Set.of(chain.requester().value()));
  }
}
