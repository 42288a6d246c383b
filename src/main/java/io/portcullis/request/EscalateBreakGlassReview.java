package io.portcullis.request;

import io.portcullis.request.BreakGlassReviews.Review;
import io.portcullis.security.RoleProperties;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

/**
 * "Escalate to the admins" of {@code processes/break-glass-review.bpmn}: nobody reviewed the
 * break-glass by {@code portcullis.requests.break-glass-review-within}, so the review task is
 * offered to the admin group too ({@link BreakGlassReview#whyNot} lets them review from now on) and
 * its members are told. Done once: a retry after it committed finds the review escalated.
 */
@Component("escalateBreakGlassReview")
class EscalateBreakGlassReview implements JavaDelegate {

  private final BreakGlassReview review;
  private final BreakGlassReviews reviews;
  private final AccessRequestRepository requests;
  private final RoleProperties roles;
  private final RequestEvents events;

  EscalateBreakGlassReview(
      BreakGlassReview review,
      BreakGlassReviews reviews,
      AccessRequestRepository requests,
      RoleProperties roles,
      RequestEvents events) {
    this.review = review;
    this.reviews = reviews;
    this.requests = requests;
    this.roles = roles;
    this.events = events;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Review bound = review.bound(execution.getProcessInstanceId());
    if (!reviews.escalate(bound.requestId(), RequestLifecycle.now())) {
      return;
    }
    var taskService = execution.getProcessEngineServices().getTaskService();
    Task task =
        taskService
            .createTaskQuery()
            .processInstanceId(execution.getProcessInstanceId())
            .taskDefinitionKey(BreakGlassReview.TASK_REVIEW)
            .singleResult();
    if (task != null) {
      Context.getCommandContext()
          .runWithoutAuthorization(
              () -> {
                taskService.addCandidateGroup(task.getId(), roles.adminGroup());
                return null;
              });
    }
    AccessRequest r = requests.find(bound.requestId()).orElseThrow();
    events.breakGlassReviewEscalated(r, roles.adminGroup(), bound.reviewGroup());
  }
}
