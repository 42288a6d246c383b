package io.portcullis.offboarding;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The item a multi-instance step works on: its element variable names it, and it must belong to the
 * offboarding this instance is bound to, so a variable changed through the engine's REST API can at
 * worst make a step repeat its own offboarding's work, never touch another's.
 */
@Component
class SagaItems {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;

  SagaItems(BoundOffboardings bound, OffboardingRepository offboardings) {
    this.bound = bound;
    this.offboardings = offboardings;
  }

  Work of(DelegateExecution execution, String step, Item.Kind kind) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), step);
    Object id = execution.getVariable(OffboardingProcess.ITEM);
    Item item = id instanceof Number n ? offboardings.item(n.longValue()).orElse(null) : null;
    if (item == null || !item.offboardingId().equals(o.id()) || item.kind() != kind) {
      throw new IllegalStateException("step " + step + " of offboarding " + o.id() + " has no " + kind + " item " + id);
    }
    return new Work(o, item);
  }

  /** An offboarding and one of its items. */
  record Work(Offboarding offboarding, Item item) {}
}
