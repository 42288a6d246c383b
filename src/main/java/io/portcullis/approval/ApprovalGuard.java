package io.portcullis.approval;

import io.portcullis.request.AccessProcess;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.AccessRequestRepository;
import io.portcullis.request.Decision;
import io.portcullis.request.RequestEvents;
import io.portcullis.request.InvalidRequestException;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Runs when an approval task completes, whichever door the decision came through (Portcullis' REST API,
 * Tasklist, the engine's REST API): the decider must be authenticated, must not be the requester, and
 * must be in the approver group that the request was opened for. The decision is then recorded.
 */
@Component("approvalGuard")
public class ApprovalGuard implements TaskListener {

  static final int MAX_COMMENT = 1000;

  private final AccessRequestRepository requests;
  private final RequestEvents events;

  public ApprovalGuard(AccessRequestRepository requests, RequestEvents events) {
    this.requests = requests;
    this.events = events;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication decider = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (decider == null || decider.getUserId() == null) {
      throw new ApprovalRefusedException("a decision must be made by an authenticated approver");
    }
    AccessRequest request = requests.find((String) task.getVariable(AccessProcess.REQUEST_ID)).orElseThrow();
    if (decider.getUserId().equals(request.requester())) {
      throw refused(decider, request, "the requester cannot decide on their own request");
    }
    if (decider.getGroupIds() == null || !decider.getGroupIds().contains(request.approverGroup())) {
      throw refused(decider, request, decider.getUserId() + " is not in the approver group " + request.approverGroup());
    }
    Decision.Verdict verdict = verdict(task.getVariable(AccessProcess.DECISION));
    String comment = comment(task.getVariable(AccessProcess.DECISION_COMMENT));

    Decision decision = new Decision(1, decider.getUserId(), verdict, comment, ClockUtil.getCurrentTime().toInstant());
    requests.addDecision(request.id(), decision);
    events.decided(request, decision);
    task.getExecution().setVariable(AccessProcess.APPROVED, verdict == Decision.Verdict.APPROVE);
    if (verdict == Decision.Verdict.DENY) {
      task.getExecution().setVariable(AccessProcess.ENDED_BY, decider.getUserId());
      task.getExecution().setVariable(AccessProcess.END_REASON, comment);
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
      default -> throw new InvalidRequestException("decision", "must be 'approve' or 'deny'");
    };
  }

  private static String comment(Object value) {
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    String comment = value.toString();
    if (comment.length() > MAX_COMMENT) {
      throw new InvalidRequestException("comment", "must be at most " + MAX_COMMENT + " characters");
    }
    return comment;
  }
}
