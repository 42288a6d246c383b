package io.portcullis.approval;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import org.springframework.stereotype.Component;

/** The audit events of approval, each in the transaction of the step it describes. */
@Component
class ApprovalEvents {

  private final AuditTrail trail;

  ApprovalEvents(AuditTrail trail) {
    this.trail = trail;
  }

  /** A delegate's decision names the delegator too ({@code details.onBehalfOf}). */
  void decided(Chain chain, Decision d, Chain.StageOutcome stageNow) {
    AuditEvent.Draft draft = about(chain, d.approver().value(), AuditAction.ACCESS_DECIDED);
    if (d.onBehalfOf() != null) {
      draft = draft.detail("onBehalfOf", d.onBehalfOf().value());
    }
    trail.record(
        draft
            .detail("stage", d.stage())
            .detail("decision", d.decision().name())
            .detail("comment", d.comment())
            .detail("approvedDuration", d.duration() == null ? null : d.duration().toString())
            .detail("stageOutcome", stageNow.name()));
  }

  void escalated(Chain chain, Stage stage) {
    trail.record(
        about(chain, AuditEvent.SYSTEM, AuditAction.APPROVAL_ESCALATED)
            .detail("stage", stage.position())
            .detail("approverGroup", stage.approverGroup())
            .detail("escalationGroup", stage.escalationGroup()));
  }

  /** Written on its own: the refused completion's transaction rolls back. */
  void refused(String actor, Chain chain, String why) {
    trail.recordOnItsOwn(
        about(chain, actor, AuditAction.ACTION_REFUSED)
            .detail("attempted", "decide")
            .detail("why", why));
  }

  /** A stage task ran in an instance whose request did not open through Portcullis. */
  void unbound(String actor, String processInstanceId, String step) {
    trail.recordOnItsOwn(
        AuditEvent.Draft.by(actor == null ? AuditEvent.SYSTEM : actor, AuditAction.ACTION_REFUSED)
            .request((String) null, processInstanceId)
            .detail("attempted", step)
            .detail("why", "the process instance did not open through Portcullis"));
  }

  private static AuditEvent.Draft about(Chain c, String actor, String action) {
    return AuditEvent.Draft.by(actor, action)
        .subject(c.requester())
        .resource(c.resource())
        .request(c.requestId(), c.processInstanceId());
  }
}
