package io.portcullis.approval;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * Opens a stage, called from {@code processes/jit-access.bpmn} as the start listener of each
 * instance of "Approve in stages": which stage it is comes from the stored chain (the first not yet
 * approved), not from the loop counter; its reminder and deadline become transient variables local
 * to the stage, for its timers.
 */
@Component("approvalStages")
public class ApprovalStages {

  private final ChainRepository chains;
  private final ApprovalEvents events;

  ApprovalStages(ChainRepository chains, ApprovalEvents events) {
    this.chains = chains;
    this.events = events;
  }

  public void open(DelegateExecution execution) {
    Chain chain = ApprovalGuard.boundChain(chains, events, execution.getProcessInstanceId(), null);
    Stage stage =
        chain
            .current()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "request " + chain.requestId() + " has no stage left to open"));
    chains.markOpened(chain.requestId(), stage.position(), ApprovalChains.now());
    // read by the stage's two timers when "Decide stage" starts, in this same transaction: never
    // stored (issue 31)
    execution.setVariableLocal(
        ApprovalProcess.REMIND_AFTER, Variables.stringValue(stage.remindAfter().toString(), true));
    execution.setVariableLocal(
        ApprovalProcess.DEADLINE, Variables.stringValue(stage.deadline().toString(), true));
  }
}
