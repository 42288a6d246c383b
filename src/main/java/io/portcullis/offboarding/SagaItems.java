package io.portcullis.offboarding;

import java.util.List;
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
      throw new IllegalStateException(
          "step " + step + " of offboarding " + o.id() + " has no " + kind + " item " + id);
    }
    return new Work(o, item);
  }

  /**
   * The batch a step works on: its element variable is {@code system#n}, the n-th run of {@code
   * size} standing memberships of that system in this round, in the order they were found.
   */
  Batch batchOf(DelegateExecution execution, String step, int size) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), step);
    Object name = execution.getVariable(OffboardingProcess.BATCH);
    int at = name instanceof String s ? s.lastIndexOf('#') : -1;
    if (at <= 0) {
      throw new IllegalStateException(
          "step " + step + " of offboarding " + o.id() + " has no batch " + name);
    }
    String system = ((String) name).substring(0, at);
    int n = Integer.parseInt(((String) name).substring(at + 1));
    List<Item> items =
        offboardings.items(o.id(), offboardings.round(o.id()), Item.Kind.STANDING).stream()
            .filter(i -> i.system().equals(system))
            .skip((long) n * size)
            .limit(size)
            .toList();
    return new Batch(o, system, items);
  }

  /** An offboarding and one of its items. */
  record Work(Offboarding offboarding, Item item) {}

  /** An offboarding and a batch of its items, all in one system. */
  record Batch(Offboarding offboarding, String system, List<Item> items) {}
}
