package io.portcullis.security;

import io.portcullis.kernel.Caller;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Runs engine calls as the caller, so that the engine's authorizations and the process's own checks
 * (who asks, who decides) see the same person as the API did.
 */
@NamedInterface("identity")
@Component
public class EngineIdentity {

  private final IdentityService identity;

  EngineIdentity(IdentityService identity) {
    this.identity = identity;
  }

  public <T> T as(Caller caller, Supplier<T> work) {
    identity.setAuthentication(caller.username().value(), caller.groups());
    try {
      return work.get();
    } finally {
      identity.clearAuthentication();
    }
  }
}
