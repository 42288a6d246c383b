package io.portcullis.offboarding;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/**
 * Looks the leaver up in the directory and records them under the directory's own name for them (one
 * name per person, DESIGN rule 12); a person the directory does not know is recorded as such, and the
 * saga ends COMPLETED with "no such person" rather than failing for ever. A person found is frozen at
 * once: from this step's commit, Portcullis refuses them at every door.
 */
@Component("findPerson")
class FindPerson implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final IdentityService identity;

  FindPerson(BoundOffboardings bound, OffboardingRepository offboardings, OffboardingEvents events, IdentityService identity) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.events = events;
    this.identity = identity;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_FIND_PERSON);
    User user = identity.createUserQuery().userId(o.username()).singleResult();
    boolean found = user != null;
    offboardings.markPerson(o.id(), found ? user.getId() : o.username(), found);
    offboardings.markStarted(o.id(), Offboardings.now());
    if (found) {
      // from this commit on, every door of Portcullis refuses them (LeaversFrozen), whatever the systems say
      offboardings.markFrozen(o.id(), Offboardings.now());
    }
    events.started(offboardings.find(o.id()).orElseThrow(), found);
  }
}
