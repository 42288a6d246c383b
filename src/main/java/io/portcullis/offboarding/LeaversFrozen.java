package io.portcullis.offboarding;

import io.portcullis.kernel.LeavingPeople;
import io.portcullis.kernel.Username;
import org.springframework.stereotype.Component;

/** Offboarding's answer to every door's question: is this person frozen? */
@Component
class LeaversFrozen implements LeavingPeople {

  private final OffboardingRepository offboardings;

  LeaversFrozen(OffboardingRepository offboardings) {
    this.offboardings = offboardings;
  }

  @Override
  public boolean frozen(Username username) {
    return username != null && offboardings.frozen(username);
  }
}
