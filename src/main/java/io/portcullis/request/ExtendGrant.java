package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.audit.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * An approved extension moves its grant's end by the approved time ({@link GrantExtensions}) and
 * ends EXTENDED; when that grant has ended or is ending, the extension ends LAPSED and the grant
 * ends as planned: never granted after its end. No connector is called either way. Run again, an
 * extension that is no longer PENDING does nothing, so the end never moves twice.
 */
@Component("extendGrant")
public class ExtendGrant implements JavaDelegate {

  private static final Logger log = LoggerFactory.getLogger(ExtendGrant.class);

  private final BoundRequests bound;
  private final AccessRequestRepository requests;
  private final ApprovalChains approvals;
  private final GrantExtensions extensions;
  private final RequestEvents events;

  ExtendGrant(
      BoundRequests bound,
      AccessRequestRepository requests,
      ApprovalChains approvals,
      GrantExtensions extensions,
      RequestEvents events) {
    this.bound = bound;
    this.requests = requests;
    this.approvals = approvals;
    this.extensions = extensions;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    AccessRequest extension =
        bound.of(execution.getProcessInstanceId(), AccessProcess.TASK_EXTEND_GRANT);
    if (extension.status() != RequestStatus.PENDING || extension.extendsId() == null) {
      log.info("extension {} is {}: nothing to move", extension.id(), extension.status());
      return;
    }
    Duration approved = approvals.of(extension.id()).orElseThrow().approvedDuration().value();
    Optional<Instant> newEnd =
        extensions.moveEnd(extension.extendsId(), approved, AuditEvent.SYSTEM);
    Instant now = RequestLifecycle.now();
    if (newEnd.isPresent()) {
      String reason = extension.extendsId() + " now ends at " + newEnd.get();
      if (requests.markEnded(
          extension.id(),
          List.of(RequestStatus.PENDING),
          RequestStatus.EXTENDED,
          now,
          null,
          reason)) {
        events.extensionApplied(extension, newEnd.get());
      }
    } else {
      String reason =
          "its grant " + extension.extendsId() + " ended before the extension was approved";
      if (requests.markEnded(
          extension.id(),
          List.of(RequestStatus.PENDING),
          RequestStatus.LAPSED,
          now,
          null,
          reason)) {
        events.closed(extension, RequestStatus.LAPSED, null, reason);
      }
    }
  }
}
