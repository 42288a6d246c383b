package io.portcullis.request;

import io.portcullis.web.InvalidInputException;
import io.portcullis.catalog.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Opens and closes requests in the read model, called from {@code processes/jit-access.bpmn} as
 * {@code ${accessRequests.opened(execution)}} and {@code ${accessRequests.close(execution, 'DENIED')}}.
 */
@Component("accessRequests")
public class RequestLifecycle {

  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** What a caller may give when starting the process; anything else is refused, naming it. */
  static final Set<String> START_VARIABLES = Set.of(AccessProcess.RESOURCE, AccessProcess.DURATION, AccessProcess.JUSTIFICATION,
      AccessProcess.TICKET);

  private final AccessRequestRules rules;
  private final AccessRequestRepository requests;
  private final RequestSettings settings;
  private final RequestEvents events;
  private final BoundRequests bound;

  public RequestLifecycle(AccessRequestRules rules, AccessRequestRepository requests, RequestSettings settings,
      RequestEvents events, BoundRequests bound) {
    this.bound = bound;
    this.rules = rules;
    this.requests = requests;
    this.settings = settings;
    this.events = events;
  }

  /**
   * A new instance of the access process starts: check the request against the rules whoever started
   * it, and record it. The requester is the authenticated user who starts the process, never a
   * variable, so nobody can ask in someone else's name.
   */
  public void opened(DelegateExecution execution) {
    Authentication starter = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (starter == null || starter.getUserId() == null) {
      throw new InvalidInputException("requester", "an access request must be started by an authenticated user");
    }
    for (String name : new TreeSet<>(execution.getVariableNames())) {
      if (!START_VARIABLES.contains(name)) {
        throw new InvalidInputException(name, "is not a field of an access request");
      }
    }
    String justification = text(execution, AccessProcess.JUSTIFICATION);
    String ticket = text(execution, AccessProcess.TICKET);
    var duration = AccessRequestRules.parseDuration(execution.getVariable(AccessProcess.DURATION));
    Resource resource = rules.check(text(execution, AccessProcess.RESOURCE), duration, justification, ticket);

    // the business key becomes the request's id in URLs: whoever starts the process may choose it,
    // within these bounds
    String id = execution.getProcessBusinessKey();
    if (id == null || id.isBlank()) {
      id = UUID.randomUUID().toString();
      execution.setProcessBusinessKey(id);
    } else if (!REQUEST_ID.matcher(id).matches()) {
      throw new InvalidInputException("businessKey", "must be letters, digits and dashes, at most 64");
    }
    AccessRequest request = new AccessRequest(id, execution.getProcessInstanceId(), starter.getUserId(), resource.id(),
        resource.connector(), resource.target(), resource.approverGroup(), duration, justification,
        ticket == null || ticket.isEmpty() ? null : ticket, RequestStatus.PENDING, now(), null, null, null, null, null, false, List.of());
    requests.insert(request);
    events.requested(request);

    // only what the engine itself needs to route the request: who may claim it, and when it lapses
    execution.setVariable(AccessProcess.APPROVER_GROUP, resource.approverGroup());
    execution.setVariable(AccessProcess.APPROVAL_TIMEOUT, settings.approvalTimeout().toString());
  }

  /**
   * The request ends without access: denied, cancelled or lapsed. Who ended it and why is what
   * Portcullis stored when the deny or cancel was asked for; a lapse has nobody.
   */
  public void close(DelegateExecution execution, String status) {
    RequestStatus to = RequestStatus.valueOf(status);
    AccessRequest request = bound.of(execution.getProcessInstanceId(), execution.getCurrentActivityId());
    var asked = to == RequestStatus.LAPSED ? java.util.Optional.<AccessRequestRepository.EndRequest>empty()
        : requests.endRequestOf(request.id());
    String endedBy = asked.map(AccessRequestRepository.EndRequest::by).orElse(null);
    String reason = asked.map(AccessRequestRepository.EndRequest::reason)
        .orElse(to == RequestStatus.LAPSED ? "no decision within " + settings.approvalTimeout() : null);
    if (requests.markEnded(request.id(), List.of(RequestStatus.PENDING), to, now(), endedBy, reason)) {
      events.closed(requests.find(request.id()).orElseThrow(), to, endedBy, reason);
    }
  }

  /** A start variable that must be text, if present; anything else is refused naming it. */
  private static String text(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    if (value != null && !(value instanceof String)) {
      throw new InvalidInputException(name, "must be text");
    }
    return (String) value;
  }

  /** The engine's clock, which tests move. */
  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
