package io.portcullis.request;

import io.portcullis.connector.Connectors;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Before the grant, notes whether the person already has the access through something Portcullis
 * does not manage (a standing membership). Such access is not Portcullis' to take away at expiry.
 *
 * <p>This is its own step, committed before the grant, so that a grant retried after a crash does
 * not mistake its own earlier attempt for standing access. It runs only while a grant is owed. The
 * access clock ({@link StartAccessClock}) starts in the same transaction, right after it.
 *
 * <p>Overlapping requests of one person for one access take their answer from the first: what the
 * person holds is standing access only if no other live request of theirs for it found nothing when
 * it was checked. Otherwise the access is, or may be, that request's grant, even one not committed
 * yet (its node died after the write: it runs again), and is Portcullis' to remove when the last
 * grant ends. And while an earlier live request did find standing access, a later one keeps that
 * answer, so the standing membership survives the expiry of every grant on top of it. A membership
 * added by hand after the first check said there was none is taken as Portcullis' too, as it is for
 * one request.
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
    List<AccessRequest> parts = requests.partsOf(request);
    if (parts.size() == 1) {
      requests.recordPreexistingAccess(request.id(), standing(request));
      return;
    }
    // a request for several: each resource has its own answer, kept once like the request's own
    if (requests.standingAccessChecked(request.id())) {
      return;
    }
    for (AccessRequest part : parts) {
      requests.recordPartPreexisting(part, standing(part));
    }
    requests.recordPreexistingAccess(request.id(), false);
  }

  private boolean standing(AccessRequest access) {
    boolean holds = connectors.named(access.connector()).holds(access.requester(), access.target());
    return holds && !requests.anotherLiveRequestFoundNothing(access);
  }
}
