package io.portcullis.offboarding;

import io.portcullis.audit.AuditEvent;
import io.portcullis.kernel.StepRefusedException;
import org.springframework.stereotype.Component;

/**
 * Finds the offboarding that a saga step works for by the instance the step runs in, never by a
 * variable (docs/architecture.md, rule 11). An instance that Portcullis did not start for a stored
 * offboarding (one started through the engine's REST API, or at a chosen activity) is refused at
 * its first step, audited.
 */
@Component
class BoundOffboardings {

  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;

  BoundOffboardings(OffboardingRepository offboardings, OffboardingEvents events) {
    this.offboardings = offboardings;
    this.events = events;
  }

  Offboarding of(String processInstanceId, String step) {
    return offboardings
        .findByProcessInstance(processInstanceId)
        .orElseThrow(
            () -> {
              events.refused(
                  null,
                  AuditEvent.SYSTEM,
                  step,
                  "the process instance "
                      + processInstanceId
                      + " did not start through Portcullis");
              return new UnboundSagaException(processInstanceId, step);
            });
  }

  /** A saga step in an instance that no stored offboarding is bound to. */
  static class UnboundSagaException extends StepRefusedException {
    UnboundSagaException(String processInstanceId, String step) {
      super(
          "process instance "
              + processInstanceId
              + " (step "
              + step
              + ") is not bound to an offboarding; nothing is done");
    }
  }
}
