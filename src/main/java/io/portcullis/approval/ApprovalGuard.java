package io.portcullis.approval;

import io.portcullis.request.AccessProcess;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.AccessRequestRepository;
import io.portcullis.request.BoundRequests;
import io.portcullis.request.Decision;
import io.portcullis.request.FreeText;
import io.portcullis.web.InvalidInputException;
import io.portcullis.request.RequestEvents;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Runs when an approval task completes, whichever door the decision came through (Portcullis' REST API,
 * Tasklist, the engine's REST API): the decider must be authenticated, must not be the requester, and
 * must be in the approver group that the request was opened for; the completion may carry the decision
 * and its comment, nothing else. The request is the one bound to the task's process instance, never
 * one named by a variable. The decision is then recorded.
 */
@Component("approvalGuard")
public class ApprovalGuard implements TaskListener {

  static final int MAX_COMMENT = 1000;
  /** All that a completion of the approval task may carry. */
  static final Set<String> DECISION_FIELDS = Set.of(AccessProcess.DECISION, AccessProcess.DECISION_COMMENT);

  private final BoundRequests bound;
  private final AccessRequestRepository requests;
  private final RequestEvents events;

  public ApprovalGuard(BoundRequests bound, AccessRequestRepository requests, RequestEvents events) {
    this.bound = bound;
    this.requests = requests;
    this.events = events;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication decider = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (decider == null || decider.getUserId() == null) {
      throw new ApprovalRefusedException("a decision must be made by an authenticated approver");
    }
    AccessRequest request = bound.of(task.getProcessInstanceId(), AccessProcess.TASK_APPROVE);
    // names are canonical at every door; comparing without case as well fails closed if one is not
    if (decider.getUserId().equals(request.requester()) || decider.getUserId().equalsIgnoreCase(request.requester())) {
      throw refused(decider, request, "the requester cannot decide on their own request");
    }
    if (decider.getGroupIds() == null || !decider.getGroupIds().contains(request.approverGroup())) {
      throw refused(decider, request, decider.getUserId() + " is not in the approver group " + request.approverGroup());
    }
    Set<String> submitted = SubmittedVariables.ofCurrentCompletion()
        .orElseThrow(() -> refused(decider, request, "a decision is made by completing the approval task"));
    Set<String> extra = new TreeSet<>(submitted);
    extra.removeAll(DECISION_FIELDS);
    if (!extra.isEmpty()) {
      throw refused(decider, request, "a decision carries only " + new TreeSet<>(DECISION_FIELDS) + ", not " + extra);
    }
    Decision.Verdict verdict = verdict(task.getVariable(AccessProcess.DECISION));
    String comment = comment(task.getVariable(AccessProcess.DECISION_COMMENT));

    Decision decision = new Decision(1, decider.getUserId(), verdict, comment, ClockUtil.getCurrentTime().toInstant());
    requests.addDecision(request.id(), decision);
    events.decided(request, decision);
    task.getExecution().setVariable(AccessProcess.APPROVED, verdict == Decision.Verdict.APPROVE);
    if (verdict == Decision.Verdict.DENY) {
      requests.requestEnd(request.id(), decider.getUserId(), comment);
    }
  }

  private ApprovalRefusedException refused(Authentication decider, AccessRequest request, String why) {
    events.refused(decider.getUserId(), "decide", request, why);
    return new ApprovalRefusedException(why);
  }

  private static Decision.Verdict verdict(Object value) {
    String text = value == null ? "" : value.toString().trim().toUpperCase(Locale.ROOT);
    return switch (text) {
      case "APPROVE" -> Decision.Verdict.APPROVE;
      case "DENY" -> Decision.Verdict.DENY;
      default -> throw new InvalidInputException("decision", "must be 'approve' or 'deny'");
    };
  }

  private static String comment(Object value) {
    if (value != null && !(value instanceof String)) {
      throw new InvalidInputException("comment", "must be text");
    }
    return FreeText.optional("comment", (String) value, MAX_COMMENT);
  }
}
