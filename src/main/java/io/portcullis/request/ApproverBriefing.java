package io.portcullis.request;

import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.ApproversToTell;
import io.portcullis.approval.AskedFor;
import io.portcullis.approval.Chain;
import io.portcullis.approval.FormRows;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditEvents;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.request.AccessRequestRepository.RequestFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * When an approval task is created, writes what the approver reads of the request into task-local
 * form variables, from what Portcullis stored, never from process variables (which a caller could
 * have set): who asks, for what, for how long and why, {@code history}: the request's story so far,
 * from the audit trail, and {@code earlierRequests}: the requester's recent requests for the same
 * resource, each a row of a table ({@link FormRows}), so that no justification can pass for an
 * event, and {@code flags}: what looked unusual when the request opened ({@link UnusualAccess}), a
 * row each. Task-local variables shadow any process variable of the same name in the form.
 * (Approval's own listener adds the stage and the decisions so far.) The stage's groups, and the
 * delegates in force of their members, are told that a task waits for them.
 */
@Component("approverBriefing")
class ApproverBriefing implements TaskListener {

  private static final int RECENT = 5;

  private final AuditEvents auditEvents;
  private final AccessRequestRepository requests;
  private final BoundRequests bound;
  private final Catalog catalog;
  private final ApprovalChains chains;
  private final ApproversToTell approvers;
  private final RequestNotices notices;

  ApproverBriefing(
      AuditEvents auditEvents,
      AccessRequestRepository requests,
      BoundRequests bound,
      Catalog catalog,
      ApprovalChains chains,
      ApproversToTell approvers,
      RequestNotices notices) {
    this.chains = chains;
    this.approvers = approvers;
    this.notices = notices;
    this.auditEvents = auditEvents;
    this.requests = requests;
    this.bound = bound;
    this.catalog = catalog;
  }

  @Override
  public void notify(DelegateTask task) {
    AccessRequest request = bound.of(task.getProcessInstanceId(), task.getTaskDefinitionKey());
    Optional<Chain> chain = chains.of(request.id());
    task.setVariableLocal(AccessProcess.REQUESTER, request.requester().value());
    // an approval is for exactly what was asked: every resource of a request for several, named
    // as every other view an approver reads names it
    AskedFor asked = chain.map(Chain::asked).orElse(AskedFor.one(request.resource()));
    task.setVariableLocal(
        AccessProcess.RESOURCE_NAME,
        asked.labelled(id -> catalog.find(id).map(Resource::name).orElse(id.value())));
    task.setVariableLocal(AccessProcess.DURATION, request.duration().toString());
    task.setVariableLocal(AccessProcess.JUSTIFICATION, request.justification());
    task.setVariableLocal(AccessProcess.TICKET, request.ticket());
    // what the approver approves includes when: a window tonight, or at once
    task.setVariableLocal(
        AccessProcess.STARTS_AT,
        request.startAt() == null ? "on approval" : request.startAt().toString());
    List<Map<String, String>> story = new ArrayList<>();
    for (AuditEvent event : auditEvents.ofRequest(request.id().value(), 50)) {
      story.add(
          FormRows.row(
              "at", event.time().toString(), "action", event.action(), "by", event.actor()));
    }
    new FormRows(story).showOn(task, AccessProcess.HISTORY);
    List<Map<String, String>> earlier = new ArrayList<>();
    requests
        .list(new RequestFilter(null, request.requester(), request.resource()), null, 0, RECENT + 1)
        .stream()
        .filter(r -> !r.id().equals(request.id()))
        .limit(RECENT)
        .forEach(
            r ->
                earlier.add(
                    FormRows.row(
                        "requestedAt",
                        r.requestedAt().toString(),
                        "duration",
                        r.duration().toString(),
                        "status",
                        r.status().name(),
                        "justification",
                        r.justification())));
    new FormRows(earlier).showOn(task, AccessProcess.EARLIER_REQUESTS);
    // the enum's own words, never a caller's text; a table cell is text to the form, never markup
    new FormRows(
            request.flags().stream()
                .map(f -> FormRows.row("flag", f.name(), "reason", f.reason()))
                .toList())
        .showOn(task, AccessProcess.FLAGS);
    // the approvers the task now waits for are told: the stage's groups as stored with the
    // request, and the delegates of their members
    chain.ifPresent(
        c ->
            c.current()
                .ifPresent(
                    stage ->
                        notices.approvalWaiting(
                            request,
                            c,
                            approvers.of(c, stage.decidingGroups()),
                            stage.decidingGroups())));
  }
}
