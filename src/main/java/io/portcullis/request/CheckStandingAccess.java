package io.portcullis.request;

import io.portcullis.connector.Connectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Before the grant, notes whether the person already has the access through something Portcullis does
 * not manage (a standing membership). Such access is not Portcullis' to take away at expiry.
 *
 * <p>This is its own step, committed before the grant, so that a grant retried after a crash does not
 * mistake its own earlier attempt for standing access. It runs only while a grant is owed.
 */
@Component("checkStandingAccess")
public class CheckStandingAccess implements JavaDelegate {

  private final OwedGrants owed;
  private final AccessRequestRepository requests;
  private final Connectors connectors;

  CheckStandingAccess(OwedGrants owed, AccessRequestRepository requests, Connectors connectors) {
    this.owed = owed;
    this.requests = requests;
    this.connectors = connectors;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest request = owed.of(execution, AccessProcess.TASK_CHECK_STANDING);
    boolean holds = connectors.named(request.connector()).holds(request.requester(), request.target());
    requests.recordPreexistingAccess(request.id(), holds && !requests.anotherGrantNeeds(request));
  }
}
