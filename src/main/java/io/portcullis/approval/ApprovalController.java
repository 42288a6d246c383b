package io.portcullis.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ResourceId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/approvals")
@Tag(name = "Approvals", description = "The approval tasks the caller may decide now")
class ApprovalController {

  private final Approvals approvals;

  ApprovalController(Approvals approvals) {
    this.approvals = approvals;
  }

  @GetMapping
  @Operation(
      summary =
          "A page of the approval tasks the caller may decide now, oldest first, and how many there are in all; "
              + "decide with POST /api/access-requests/{id}/approve or deny; a break-glass review "
              + "(kind break-glass-review) with POST /api/access-requests/{id}/review")
  ApprovalPage waiting(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
    Approvals.Page result = approvals.waitingFor(caller, page, size);
    return new ApprovalPage(
        result.items().stream().map(WaitingView::of).toList(),
        result.page(),
        result.size(),
        result.totalItems());
  }

  /** A page of what the caller may decide; {@code totalItems} counts every page. */
  record ApprovalPage(List<WaitingView> items, int page, int size, long totalItems) {}

  /**
   * One approval task the caller may decide.
   *
   * @param taskName names every resource asked for, cut with "and N more" to the engine's 255
   *     characters
   * @param resource the request's own resource: the only one, or the first of several (kept for
   *     clients that read one); what is approved is {@code resources}
   * @param resources every resource asked for, in order, all of which an approval approves
   * @param bundle the catalog's bundle the request named; left out otherwise
   * @param duration as asked
   * @param grantedIfApproved what is granted if the caller approves without a shorter duration: the
   *     shortest duration an approver allowed so far, or as asked; an approval may only shorten it
   * @param kind {@code approval}, or {@code break-glass-review}: access taken at once by
   *     break-glass, to keep or revoke (stage and quorum are then 0 and 1, approverGroup the group
   *     it is offered to)
   * @param onBehalfOf the approver in whose place the caller decides it, by a delegation in force;
   *     null: in the caller's own right
   */
  record WaitingView(
      String kind,
      String requestId,
      String taskId,
      String taskName,
      Instant createdAt,
      String requester,
      String resource,
      List<String> resources,
      @JsonInclude(JsonInclude.Include.NON_NULL) String bundle,
      String duration,
      String grantedIfApproved,
      int stage,
      int stageCount,
      String approverGroup,
      int quorum,
      long approvalsSoFar,
      String onBehalfOf,
      String request) {

    static WaitingView of(Approvals.Waiting w) {
      Chain c = w.chain();
      if (w.breakGlassReview()) {
        return new WaitingView(
            "break-glass-review",
            c.requestId().value(),
            w.taskId(),
            w.taskName(),
            w.createdAt(),
            c.requester().value(),
            c.resource().value(),
            resources(c),
            c.asked().bundle(),
            c.duration().toString(),
            c.duration().toString(),
            0,
            0,
            w.reviewGroup(),
            1,
            0,
            null,
            "/api/access-requests/" + c.requestId());
      }
      Stage s = c.current().orElseThrow();
      return new WaitingView(
          "approval",
          c.requestId().value(),
          w.taskId(),
          w.taskName(),
          w.createdAt(),
          c.requester().value(),
          c.resource().value(),
          resources(c),
          c.asked().bundle(),
          c.duration().toString(),
          c.approvedDuration().toString(),
          s.position(),
          c.stages().size(),
          s.approverGroup(),
          s.quorum(),
          c.decisionsIn(s).stream().filter(Decision::approves).count(),
          w.onBehalfOf() == null ? null : w.onBehalfOf().value(),
          "/api/access-requests/" + c.requestId());
    }

    private static List<String> resources(Chain c) {
      return c.asked().resources().stream().map(ResourceId::value).toList();
    }
  }
}
