package io.portcullis.approval;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Withdraw the delegated tasks" (processes/delegation.bpmn), at the delegation's end: its delegate
 * is taken off every open approval task and offered again what their delegations still in force
 * give them.
 */
@Component("withdrawDelegatedTasks")
class WithdrawDelegatedTasks implements JavaDelegate {

  private final DelegationRepository delegationRows;
  private final Delegations delegations;
  private final DelegatedTasks tasks;

  WithdrawDelegatedTasks(
      DelegationRepository delegationRows, Delegations delegations, DelegatedTasks tasks) {
    this.delegationRows = delegationRows;
    this.delegations = delegations;
    this.tasks = tasks;
  }

  @Override
  public void execute(DelegateExecution execution) {
    delegationRows
        .findByProcessInstance(execution.getProcessInstanceId())
        .ifPresent(d -> tasks.withdraw(d.delegate(), delegations.delegatorsOf(d.delegate())));
  }
}
