package io.portcullis.approval;

import io.portcullis.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/approvals")
@Tag(name = "Approvals", description = "The approval tasks the caller may decide now")
class ApprovalController {

  private final Approvals approvals;

  ApprovalController(Approvals approvals) {
    this.approvals = approvals;
  }

  @GetMapping
  @Operation(summary = "The approval tasks the caller may decide now, oldest first; decide with POST /api/access-requests/{id}/approve or deny")
  List<WaitingView> waiting(@AuthenticationPrincipal Caller caller) {
    return approvals.waitingFor(caller).stream().map(WaitingView::of).toList();
  }

  record WaitingView(String requestId, String taskId, String taskName, Instant createdAt, String requester, String resource,
      String duration, int stage, int stageCount, String approverGroup, int quorum, long approvalsSoFar, String request) {

    static WaitingView of(Approvals.Waiting w) {
      Chain c = w.chain();
      Stage s = c.current().orElseThrow();
      return new WaitingView(c.requestId(), w.taskId(), w.taskName(), w.createdAt(), c.requester(), c.resource(),
          c.duration().toString(), s.position(), c.stages().size(), s.approverGroup(), s.quorum(),
          c.decisionsIn(s).stream().filter(Decision::approves).count(), "/api/access-requests/" + c.requestId());
    }
  }
}
