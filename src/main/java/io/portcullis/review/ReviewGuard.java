package io.portcullis.review;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.kernel.Username;
import io.portcullis.security.SubmittedVariables;
import io.portcullis.web.FreeText;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Runs when a holder's review task completes, whichever door the decision came through: the
 * reviewer must be authenticated and allowed ({@link Reviewers}); the completion carries the
 * decision and its comment, nothing else. The item is the one bound to the task when it opened. The
 * decision is then recorded ({@code review.decided}) and set for the gateway "Remove holder?".
 */
@Component("reviewGuard")
class ReviewGuard implements TaskListener {

  static final Set<String> DECISION_FIELDS = Set.of(ReviewProcess.DECISION, ReviewProcess.COMMENT);

  private final ReviewStore store;
  private final AuditTrail audit;

  ReviewGuard(ReviewStore store, AuditTrail audit) {
    this.store = store;
    this.audit = audit;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication reviewer =
        task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    Username who =
        reviewer == null || reviewer.getUserId() == null
            ? null
            : Username.valid(reviewer.getUserId()).orElse(null);
    if (who == null) {
      throw new ReviewRefusedException("a review must be decided by an authenticated owner");
    }
    ReviewItem item =
        store
            .itemOfTask(task.getId())
            .orElseThrow(() -> new ReviewRefusedException("this task reviews no holder"));
    Campaign campaign = store.find(item.reviewId()).orElseThrow();
    List<String> groups = reviewer.getGroupIds() == null ? List.of() : reviewer.getGroupIds();
    Reviewers.whyNot(who, groups, campaign, item)
        .ifPresent(
            why -> {
              throw new ReviewRefusedException(why);
            });
    Map<String, Object> submitted =
        SubmittedVariables.ofCurrentCompletion()
            .orElseThrow(
                () -> new ReviewRefusedException("a review is decided by completing its task"));
    Set<String> extra = new TreeSet<>(submitted.keySet());
    extra.removeAll(DECISION_FIELDS);
    if (!extra.isEmpty()) {
      throw new ReviewRefusedException(
          "a review decision carries only " + new TreeSet<>(DECISION_FIELDS) + ", not " + extra);
    }
    String decision;
    String comment;
    try {
      decision = AccessReviews.verdict(submitted.get(ReviewProcess.DECISION));
      Object raw = submitted.get(ReviewProcess.COMMENT);
      comment =
          FreeText.optionalLine(
              "comment", raw == null ? null : raw.toString(), AccessReviews.MAX_COMMENT);
    } catch (IllegalArgumentException e) {
      throw new ReviewRefusedException(e.getMessage());
    }
    Outcome outcome = "remove".equals(decision) ? Outcome.REMOVE : Outcome.KEEP;
    Instant now = ClockUtil.getCurrentTime().toInstant();
    if (!store.decide(campaign.id(), item.item(), outcome, who.value(), now, comment)) {
      throw new ReviewRefusedException("this holder was decided already");
    }
    audit.record(
        AuditEvent.Draft.by(who.value(), AuditAction.REVIEW_DECIDED)
            .subject(item.holder())
            .resource(campaign.resource())
            .detail("review", campaign.id())
            .detail("item", item.item())
            .detail("decision", decision)
            .detail("comment", comment == null ? "" : comment));
    task.getExecution().setVariable(ReviewProcess.REMOVE_HOLDER, outcome.revokes());
  }
}
