package io.portcullis.offboarding;

import io.portcullis.kernel.Username;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/**
 * Whether the directory knows a person, and by which name: the one look-up that both the doors of
 * offboarding (an ask for someone the directory does not know is refused) and the saga's first step
 * (which freezes them under that name) make. Through the engine's identity service, as a login is
 * checked, so that a person whose account is disabled or whose password is stashed is still
 * someone: only a name that no entry of the directory answers to is nobody.
 */
@Component
class KnownPeople {

  private final IdentityService identity;

  KnownPeople(IdentityService identity) {
    this.identity = identity;
  }

  /**
   * The directory's own name for the person (docs/architecture.md, rule 12), matched as the
   * directory matches it; empty for nobody.
   */
  Optional<Username> canonical(Username username) {
    User user = identity.createUserQuery().userId(username.value()).singleResult();
    return Optional.ofNullable(user).map(User::getId).map(Username::of);
  }
}
