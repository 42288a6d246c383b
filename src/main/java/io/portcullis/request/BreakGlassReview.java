package io.portcullis.request;

import io.portcullis.approval.ApprovalProcess;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.StepRefusedException;
import io.portcullis.kernel.Username;
import io.portcullis.request.BreakGlassReviews.Outcome;
import io.portcullis.request.BreakGlassReviews.Review;
import io.portcullis.security.RoleProperties;
import io.portcullis.security.SubmittedVariables;
import io.portcullis.web.FreeText;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * The review after the fact of a break-glass ({@code processes/break-glass-review.bpmn}), started
 * by {@link RequestLifecycle#opened} in the transaction that takes the access. Its start listener
 * binds the instance to the request's review row, once, so no other door can start a second review
 * or one for a request that did not break glass. The review task goes to the first group of the
 * chain that was skipped, and, once overdue ({@code
 * portcullis.requests.break-glass-review-within}), to the admins too. "keep" closes it; "revoke"
 * ends the access at once through the request's own revoke (the stored ask and the message {@code
 * AccessRevokeRequested}) and flags the requester's next requests ({@link
 * UnusualAccess.Flag#BREAK_GLASS_REVOKED}).
 *
 * <p>Who may review ({@link #whyNot}) is checked on every completion, whatever the door: never the
 * requester, a member of the review group, or of the admin group once escalated.
 */
@Component("breakGlassReview")
public class BreakGlassReview {

  public static final String KEY = "break-glass-review";
  public static final String TASK_REVIEW = ApprovalProcess.TASK_REVIEW_BREAK_GLASS;
  public static final String TASK_ESCALATE = "serviceTask_escalateReview";
  public static final String TASK_REVOKE = "serviceTask_revokeBrokenGlass";

  /** What a completion of the review task carries: {@code keep} or {@code revoke}, a comment. */
  public static final String REVIEW = "review";

  public static final String COMMENT = "comment";

  /** The review's deadline from its start, for the timer. */
  static final String REVIEW_WITHIN = "reviewWithin";

  /** The review's outcome, for the gateway. */
  static final String OUTCOME = "reviewOutcome";

  static final int MAX_COMMENT = 1000;

  private final BreakGlassReviews reviews;
  private final AccessRequestRepository requests;
  private final BreakGlassSettings settings;
  private final RoleProperties roles;
  private final RequestEvents events;

  BreakGlassReview(
      BreakGlassReviews reviews,
      AccessRequestRepository requests,
      BreakGlassSettings settings,
      RoleProperties roles,
      RequestEvents events) {
    this.reviews = reviews;
    this.requests = requests;
    this.settings = settings;
    this.roles = roles;
    this.events = events;
  }

  /** Starts the review of a request that broke glass; its row was stored just before. */
  void start(DelegateExecution access, RequestId id) {
    var runtime = access.getProcessEngineServices().getRuntimeService();
    // the requester holds no permission on the review process: Portcullis starts it
    Context.getCommandContext()
        .runWithoutAuthorization(() -> runtime.startProcessInstanceByKey(KEY, id.value()));
  }

  /** The start listener: binds this instance to its request's review, once, or refuses. */
  public void opened(DelegateExecution execution) {
    String key = execution.getProcessBusinessKey();
    Optional<Review> review =
        key == null || !key.matches(RequestId.PATTERN)
            ? Optional.empty()
            : reviews.find(RequestId.of(key));
    if (review.isEmpty()
        || !execution.getVariableNames().isEmpty()
        || !reviews.bind(review.get().requestId(), execution.getProcessInstanceId())) {
      throw new StepRefusedException(
          "a break-glass review starts once, when its request breaks glass, and takes no variables");
    }
    execution.setVariable(REVIEW_WITHIN, settings.breakGlassReviewWithin().toString());
  }

  /** The create listener of the review task: its name, its group, what the reviewer reads. */
  public void created(DelegateTask task) {
    Review review = bound(task.getProcessInstanceId());
    AccessRequest r = requests.find(review.requestId()).orElseThrow();
    task.setName(
        "Review break-glass: "
            + r.requester()
            + " took "
            + r.resource()
            + " ("
            + r.duration()
            + "), ticket "
            + r.ticket());
    task.addCandidateGroup(review.reviewGroup());
    task.setVariableLocal(AccessProcess.REQUESTER, r.requester().value());
    task.setVariableLocal(AccessProcess.RESOURCE, r.resource().value());
    task.setVariableLocal(AccessProcess.DURATION, r.duration().toString());
    task.setVariableLocal(AccessProcess.TICKET, r.ticket());
    task.setVariableLocal(AccessProcess.JUSTIFICATION, r.justification());
    task.setVariableLocal(REVIEW, null);
    task.setVariableLocal(COMMENT, null);
  }

  /** The complete listener: who may review, what the review says; recorded and audited. */
  public void completed(DelegateTask task) {
    Review review = bound(task.getProcessInstanceId());
    AccessRequest r = requests.find(review.requestId()).orElseThrow();
    Authentication who =
        task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    if (who == null || who.getUserId() == null) {
      throw new RefusedException("a break-glass is reviewed by an authenticated reviewer");
    }
    Username reviewer =
        Username.valid(who.getUserId())
            .orElseThrow(() -> refused(who, r, "a break-glass is reviewed by a person"));
    Map<String, Object> submitted =
        SubmittedVariables.ofCurrentCompletion()
            .orElseThrow(() -> refused(who, r, "a review is made by completing the review task"));
    Set<String> extra = new TreeSet<>(submitted.keySet());
    extra.removeAll(Set.of(REVIEW, COMMENT));
    if (!extra.isEmpty()) {
      throw refused(who, r, "a review carries only [comment, review], not " + extra);
    }
    List<String> groups = who.getGroupIds() == null ? List.of() : who.getGroupIds();
    whyNot(reviewer, groups, review, roles.adminGroup())
        .ifPresent(
            why -> {
              throw refused(who, r, why);
            });
    Outcome outcome = outcome(submitted.get(REVIEW));
    Object comment = submitted.get(COMMENT);
    if (comment != null && !(comment instanceof String)) {
      throw new InvalidInputException(COMMENT, "must be text");
    }
    String line = FreeText.optionalLine(COMMENT, (String) comment, MAX_COMMENT);
    if (!reviews.decide(review.requestId(), outcome, reviewer, line, RequestLifecycle.now())) {
      throw new ConflictException("The break-glass was reviewed already.");
    }
    events.breakGlassReviewed(r, reviewer.value(), outcome, line);
    task.getExecution().setVariable(OUTCOME, outcome.name());
  }

  /**
   * Who may review a break-glass now: the one home of the rule, asked on every completion and by
   * the API before it completes. Empty if this person may.
   */
  static Optional<String> whyNot(
      Username who, Collection<String> groups, Review review, String adminGroup) {
    if (who.sameAs(review.requester())) {
      return Optional.of("the requester cannot review their own break-glass");
    }
    if (review.outcome() != null) {
      return Optional.of("the break-glass was reviewed already");
    }
    if (groups.contains(review.reviewGroup())
        || (review.escalatedAt() != null && groups.contains(adminGroup))) {
      return Optional.empty();
    }
    return Optional.of(
        who
            + " is not in the review group "
            + review.reviewGroup()
            + (review.escalatedAt() == null
                ? " (" + adminGroup + " may review only once the review is overdue)"
                : " or " + adminGroup));
  }

  Review bound(String processInstanceId) {
    return reviews
        .ofInstance(processInstanceId)
        .orElseThrow(
            () ->
                new StepRefusedException(
                    "process instance "
                        + processInstanceId
                        + " is no break-glass review Portcullis started"));
  }

  private RefusedException refused(Authentication who, AccessRequest r, String why) {
    events.refused(who.getUserId(), "review break-glass", r, why);
    return new RefusedException(why);
  }

  private static Outcome outcome(Object value) {
    String text = value == null ? "" : value.toString().trim().toUpperCase(Locale.ROOT);
    return switch (text) {
      case "KEEP" -> Outcome.KEEP;
      case "REVOKE" -> Outcome.REVOKE;
      default -> throw new InvalidInputException(REVIEW, "must be 'keep' or 'revoke'");
    };
  }
}
