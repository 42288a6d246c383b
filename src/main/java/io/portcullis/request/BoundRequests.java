package io.portcullis.request;

import org.springframework.stereotype.Component;

/**
 * Finds the request that a process step works for by the instance the step runs in, never by a
 * variable (docs/architecture.md, rule 11): the engine's REST API and Tasklist let callers set
 * variables, and an instance started at a chosen activity, or with its listeners skipped, never
 * opened a request. Such an instance is refused at its first step, and the refusal is in the audit
 * trail.
 */
@Component
public class BoundRequests {

  private final AccessRequestRepository requests;
  private final RequestEvents events;

  BoundRequests(AccessRequestRepository requests, RequestEvents events) {
    this.requests = requests;
    this.events = events;
  }

  /**
   * @param step the activity that asks, for the audit record
   * @throws UnboundInstanceException when no request was opened by, or bound to, this instance
   */
  public AccessRequest of(String processInstanceId, String step) {
    return requests
        .findByProcessInstance(processInstanceId)
        .orElseThrow(
            () -> {
              events.unboundInstance(processInstanceId, step);
              return new UnboundInstanceException(processInstanceId, step);
            });
  }
}
