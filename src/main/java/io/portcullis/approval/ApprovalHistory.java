package io.portcullis.approval;

import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditEvents;
import io.portcullis.request.AccessProcess;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.AccessRequestRepository;
import io.portcullis.request.AccessRequestRepository.RequestFilter;
import io.portcullis.request.BoundRequests;
import io.portcullis.request.RequestNotices;
import io.portcullis.catalog.Catalog;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * When an approval task is created, writes what the approver reads into task-local form variables,
 * from what Portcullis stored, never from process variables (which a caller could have set): who asks,
 * for what, for how long and why, and {@code history}: the request's story so far, from the audit
 * trail, and the requester's recent requests for the same resource. Task-local variables shadow any
 * process variable of the same name in the form.
 */
@Component("approvalHistory")
public class ApprovalHistory implements TaskListener {

  static final String VARIABLE = "history";
  private static final int RECENT = 5;

  private final AuditEvents auditEvents;
  private final AccessRequestRepository requests;
  private final BoundRequests bound;
  private final Catalog catalog;
  private final RequestNotices notices;

  public ApprovalHistory(AuditEvents auditEvents, AccessRequestRepository requests, BoundRequests bound, Catalog catalog,
      RequestNotices notices) {
    this.notices = notices;
    this.auditEvents = auditEvents;
    this.requests = requests;
    this.bound = bound;
    this.catalog = catalog;
  }

  @Override
  public void notify(DelegateTask task) {
    AccessRequest request = bound.of(task.getProcessInstanceId(), AccessProcess.TASK_APPROVE);
    task.setVariableLocal(AccessProcess.REQUESTER, request.requester());
    task.setVariableLocal(AccessProcess.RESOURCE_NAME, catalog.find(request.resource()).map(r -> r.name()).orElse(request.resource()));
    task.setVariableLocal(AccessProcess.DURATION, request.duration().toString());
    task.setVariableLocal(AccessProcess.JUSTIFICATION, request.justification());
    task.setVariableLocal(AccessProcess.TICKET, request.ticket());
    List<String> lines = new ArrayList<>();
    for (AuditEvent event : auditEvents.ofRequest(request.id(), 50)) {
      lines.add(event.time() + "  " + event.action() + " by " + event.actor());
    }
    List<AccessRequest> earlier = requests.list(new RequestFilter(null, request.requester(), request.resource()),
        null, 0, RECENT + 1).stream()
        .filter(r -> !r.id().equals(request.id())).limit(RECENT).toList();
    lines.add("");
    if (earlier.isEmpty()) {
      lines.add("No earlier request by " + request.requester() + " for " + request.resource() + ".");
    } else {
      lines.add("Earlier requests by " + request.requester() + " for " + request.resource() + ":");
      for (AccessRequest r : earlier) {
        lines.add(r.requestedAt() + "  " + r.duration() + "  " + r.status() + "  " + r.justification().lines().findFirst().orElse(""));
      }
    }
    task.setVariableLocal(VARIABLE, String.join("\n", lines));
    // the approvers that the task now waits for are told (docs/notifications.md): the group Portcullis
    // stored with the request, not the task's candidates, which come from a variable
    notices.approvalWaiting(request, List.of(request.approverGroup()));
  }
}
