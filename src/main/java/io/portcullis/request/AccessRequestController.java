package io.portcullis.request;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.approval.ApprovalChains;
import io.portcullis.approval.Chain;
import io.portcullis.approval.Decision;
import io.portcullis.approval.Stage;
import io.portcullis.audit.AuditEvents;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessRequestRepository.RequestFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/access-requests")
@Tag(name = "Access requests", description = "Ask for time-boxed access, decide, revoke, cancel")
class AccessRequestController {

  private static final String ID = RequestId.PATTERN;

  private static final int HISTORY_LIMIT = 500;

  private final AccessRequestService service;
  private final ApprovalChains chains;
  private final AuditEvents auditEvents;
  private final ObjectMapper json;
  private final ScheduledStarts starts;
  private final AccessRequestRepository requests;
  private final AccessRequestRules rules;

  AccessRequestController(
      AccessRequestRepository requests,
      AccessRequestRules rules,
      AccessRequestService service,
      ApprovalChains chains,
      AuditEvents auditEvents,
      ObjectMapper json,
      ScheduledStarts starts) {
    this.requests = requests;
    this.rules = rules;
    this.starts = starts;
    this.service = service;
    this.chains = chains;
    this.auditEvents = auditEvents;
    this.json = json;
  }

  @PostMapping
  @Operation(
      summary = "Ask for access to a resource for a time; the approval policy chooses its stages")
  @ApiResponse(
      responseCode = "201",
      description =
          "The request, with its stages; Location names it. A break-glass is granted at once: no stages, "
              + "ACTIVE as soon as its grant runs")
  @ApiResponse(
      responseCode = "403",
      description =
          "breakGlass asked by someone no rule of the approval policy allows it to, or on a resource no "
              + "rule allows it on; the detail names the rule, and nothing is stored",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "400",
      description =
          "A field breaks a rule, named in the detail: resource, resources (none, more than "
              + "portcullis.requests.max-resources, one twice, one unknown) or bundle (unknown); not exactly one of "
              + "them; a duration longer than a resource allows; a resource the policy has no rule for",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "409",
      description =
          "The caller has the most requests waiting for this resource that one person may have "
              + "(portcullis.requests.max-pending-per-resource); the detail says so",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "429",
      description =
          "The caller has the most requests waiting that one person may have "
              + "(portcullis.requests.max-pending), with no Retry-After: a request leaves the queue when it is decided or cancelled; or too "
              + "many failed logins, with Retry-After. The detail says which",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  ResponseEntity<AccessRequestView> create(
      @AuthenticationPrincipal Caller caller, @Valid @RequestBody NewAccessRequest body) {
    // checked again when the process starts, as for every door; here first, to answer clearly
    starts.check(body.startAt(), RequestLifecycle.now());
    rules.checkNames(body.resource(), body.resources(), body.bundle());
    AccessRequest created =
        service.create(
            caller,
            body.resource(),
            body.resources(),
            body.bundle(),
            AccessDuration.of(body.duration()),
            body.justification(),
            body.ticket(),
            body.startAt(),
            Boolean.TRUE.equals(body.breakGlass()));
    return ResponseEntity.created(URI.create("/api/access-requests/" + created.id()))
        .body(view(created));
  }

  @GetMapping("/{id}")
  @Operation(summary = "One request, with its decisions and its history from the audit trail")
  AccessRequestView get(
      @AuthenticationPrincipal Caller caller, @PathVariable @Pattern(regexp = ID) String id) {
    AccessRequest request = service.get(caller, RequestId.of(id));
    List<HistoryView> history =
        auditEvents.ofRequest(request.id().value(), HISTORY_LIMIT).stream()
            .map(
                e ->
                    new HistoryView(e.seq(), e.time(), e.actor(), e.action(), details(e.details())))
            .toList();
    return view(request).withHistory(history);
  }

  private JsonNode details(String details) {
    try {
      return json.readTree(details);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit details are not JSON", e);
    }
  }

  @GetMapping
  @Operation(summary = "The requests the caller may see, newest first, filtered")
  PageView list(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(required = false) RequestStatus status,
      @RequestParam(required = false) @Pattern(regexp = Username.PATTERN) String requester,
      @RequestParam(required = false) @Pattern(regexp = ResourceId.PATTERN) String resource,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
    // the parameters' patterns are the values' own, checked above
    var result =
        service.list(
            caller,
            new RequestFilter(
                status,
                requester == null ? null : Username.of(requester),
                resource == null ? null : ResourceId.of(resource)),
            page,
            size);
    List<RequestId> ids = result.items().stream().map(AccessRequest::id).toList();
    Map<RequestId, Chain> byId = chains.of(ids);
    Map<RequestId, List<ResourceId>> several = requests.resourcesOf(ids);
    Set<RequestId> brokeGlass = service.brokeGlass(ids);
    return new PageView(
        result.items().stream()
            .map(
                r ->
                    AccessRequestView.of(
                        r,
                        several.getOrDefault(r.id(), List.of(r.resource())),
                        byId.get(r.id()),
                        brokeGlass.contains(r.id())))
            .toList(),
        result.page(),
        result.size(),
        result.totalItems());
  }

  @PostMapping("/{id}/extend")
  @Operation(
      summary =
          "Ask to extend an ACTIVE grant (its requester only): an extension request of its own, decided by the chain the "
              + "policy chooses for an extension; approved, the grant's end moves by the approved time with no gap")
  @ApiResponse(
      responseCode = "201",
      description =
          "The extension request, PENDING, with extends naming the grant; Location names it")
  @ApiResponse(
      responseCode = "400",
      description =
          "The grant with the extension would last longer than the resource's "
              + "max-total-duration (default twice its max-duration); the detail names duration",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "403",
      description = "The caller is not the requester of the grant",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "409",
      description = "The request is not ACTIVE, or an extension of it waits already",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  ResponseEntity<AccessRequestView> extend(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @Valid @RequestBody ExtensionBody body) {
    AccessRequest created =
        service.extend(
            caller, RequestId.of(id), AccessDuration.of(body.duration()), body.justification());
    return ResponseEntity.created(URI.create("/api/access-requests/" + created.id()))
        .body(view(created));
  }

  @PostMapping("/{id}/review")
  @Operation(
      summary =
          "Review a break-glass after the fact: keep it, or revoke it (the access ends at once through the "
              + "revoke, and the requester's next requests are flagged); for the group that reviews it, and the "
              + "admins once the review is overdue (portcullis.requests.break-glass-review-within)")
  @ApiResponse(responseCode = "200", description = "The request, as it is after the review")
  @ApiResponse(
      responseCode = "403",
      description = "The caller is the requester, or not in the group that may review it now",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "409",
      description = "The request did not break glass, or its review is done",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  AccessRequestView review(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @Valid @RequestBody ReviewBody body) {
    return view(service.review(caller, RequestId.of(id), body.review(), body.comment()));
  }

  @PostMapping("/{id}/approve")
  @Operation(
      summary =
          "Approve the current stage, optionally for a shorter duration than asked; the requester, a non-member of "
              + "the stage's group and an approver who already decided get 403")
  AccessRequestView approve(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @Valid @RequestBody(required = false) ApprovalBody body) {
    return view(
        service.decide(
            caller,
            RequestId.of(id),
            Decision.Verdict.APPROVE,
            body == null ? null : body.comment(),
            body == null || body.duration() == null ? null : AccessDuration.of(body.duration())));
  }

  @PostMapping("/{id}/deny")
  @Operation(
      summary = "Deny the request, which ends it DENIED; the same people as for approve get 403")
  AccessRequestView deny(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @Valid @RequestBody(required = false) DecisionBody body) {
    return view(
        service.decide(
            caller,
            RequestId.of(id),
            Decision.Verdict.DENY,
            body == null ? null : body.comment(),
            null));
  }

  @PostMapping("/{id}/revoke")
  @Operation(
      summary =
          "End an active grant, or a grant attempted and not confirmed, now (requester, approvers, admins); 202: the "
              + "revoke runs at once, in the background. A SCHEDULED request ends CANCELLED at once: nothing was granted")
  @ApiResponse(
      responseCode = "202",
      description =
          "The request, ACTIVE (PENDING for a grant never confirmed) until the "
              + "target confirms the revoke; then REVOKED")
  ResponseEntity<AccessRequestView> revoke(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @Valid @RequestBody RevokeBody body) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(view(service.revoke(caller, RequestId.of(id), body.reason())));
  }

  @PostMapping("/{id}/cancel")
  @Operation(
      summary =
          "Withdraw a PENDING, SCHEDULED or FAILED request (requester only; no body, or an empty object): CANCELLED at once while nothing was attempted; a "
              + "grant attempted and not confirmed is revoked, and the request ends REVOKED once the target confirms")
  AccessRequestView cancel(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @RequestBody(required = false) CancelBody body) {
    return view(service.cancel(caller, RequestId.of(id)));
  }

  private AccessRequestView view(AccessRequest request) {
    return AccessRequestView.of(
        request,
        requests
            .resourcesOf(List.of(request.id()))
            .getOrDefault(request.id(), List.of(request.resource())),
        chains.of(request.id()).orElse(null),
        service.brokeGlass(List.of(request.id())).contains(request.id()));
  }

  record NewAccessRequest(
      @Schema(
              description =
                  "The resource asked for; give exactly one of resource, resources and bundle")
          String resource,
      @Schema(
              description =
                  "Several resources asked for together (at most portcullis.requests.max-resources, 10, "
                      + "each once): one chain decides them all, they are granted and end together, and when one "
                      + "cannot be granted none is")
          List<@Pattern(regexp = ResourceId.PATTERN) String> resources,
      @Schema(
              description =
                  "A bundle of the catalog (portcullis.bundles): its resources, as resources")
          @Pattern(regexp = ResourceId.PATTERN) String bundle,
      @NotNull Duration duration,
      @NotBlank @Size(max = 1000) String justification,
      @Size(max = 64) String ticket,
      @Schema(
              description =
                  "When to grant, once approved (ISO-8601 with its offset); not in the past, at most "
                      + "portcullis.requests.max-start-offset (P30D) ahead; left out: on approval. The "
                      + "approved duration counts from it")
          Instant startAt,
      @Schema(
              description =
                  "Break-glass: take the access at once, with no approval, where a rule of the approval "
                      + "policy allows it to the caller (breakGlassWithin; the demo: prod-db-readonly to oncall, "
                      + "up to PT1H). Needs a ticket; the skipped chain's groups are told and its first group "
                      + "reviews it after the fact (keep or revoke). Refused 403 to anyone no rule allows")
          Boolean breakGlass) {}

  record ReviewBody(
      @Schema(
              description =
                  "keep (the access runs to its end) or revoke (it ends now, and the requester's next "
                      + "requests are flagged BREAK_GLASS_REVOKED)",
              allowableValues = {"keep", "revoke"})
          @NotBlank String review,
      @Schema(description = "one line") @Size(max = BreakGlassReview.MAX_COMMENT) String comment) {}

  record ExtensionBody(
      @Schema(description = "how much longer (ISO-8601), added to the grant's end once approved")
          @NotNull Duration duration,
      @NotBlank @Size(max = 1000) String justification) {}

  record DecisionBody(
      @Schema(description = "one line") @Size(max = Decision.MAX_COMMENT) String comment) {}

  /**
   * @param duration a shorter duration than will be granted (ISO-8601); left out: as asked, or the
   *     shortest approved so far
   */
  record ApprovalBody(
      @Schema(description = "one line") @Size(max = Decision.MAX_COMMENT) String comment,
      @Schema(
              description =
                  "a shorter duration than will be granted (grantedIfApproved in GET /api/approvals); left out: that one")
          Duration duration) {}

  /** A cancel says nothing more: a field in its body is refused, as in every other body. */
  @Schema(
      description = "Empty: a cancel carries no field",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record CancelBody() {}

  record RevokeBody(
      @Schema(description = "one line") @NotBlank @Size(max = AccessRequestService.MAX_REASON) String reason) {}

  record PageView(List<AccessRequestView> items, int page, int size, long totalItems) {}

  /**
   * One decision.
   *
   * @param approver who decided
   * @param onBehalfOf whose decision it is, when a delegate decided in their place; null otherwise
   */
  record DecisionView(
      int stage,
      String approver,
      String onBehalfOf,
      String decision,
      String comment,
      String duration,
      Instant at) {
    static DecisionView of(Decision d) {
      return new DecisionView(
          d.stage(),
          d.approver().value(),
          d.onBehalfOf() == null ? null : d.onBehalfOf().value(),
          d.decision().name(),
          d.comment(),
          d.duration() == null ? null : d.duration().toString(),
          d.at());
    }
  }

  /**
   * One stage of the request's chain, as the policy chose it when the request opened, with its
   * decisions so far.
   */
  record StageView(
      int stage,
      String group,
      int quorum,
      String remindAfter,
      String deadline,
      String escalationGroup,
      Instant openedAt,
      Instant escalatedAt,
      String outcome,
      List<DecisionView> decisions) {
    static StageView of(Chain chain, Stage s) {
      return new StageView(
          s.position(),
          s.approverGroup(),
          s.quorum(),
          s.remindAfter().toString(),
          s.deadline().toString(),
          s.escalationGroup(),
          s.openedAt(),
          s.escalatedAt(),
          chain.outcomeOf(s).name(),
          chain.decisionsIn(s).stream().map(DecisionView::of).toList());
    }
  }

  /**
   * An unusual-access flag of the request ({@link UnusualAccess}), with the one line an approver
   * reads.
   */
  record FlagView(UnusualAccess.Flag flag, String reason) {
    static FlagView of(UnusualAccess.Flag f) {
      return new FlagView(f, f.reason());
    }
  }

  /** One audit event of the request: its story, from the tamper-evident trail. */
  record HistoryView(long seq, Instant at, String actor, String action, JsonNode details) {}

  /**
   * A request as clients see it.
   *
   * @param approvedDuration as asked, or the shorter duration an approver allowed
   * @param grantAttemptedAt when the grant was first set on its way to the target; from then on the
   *     target may hold the access whatever the status says, until a revoke is confirmed. Null
   *     while nothing can have reached the target
   * @param grantedAt when the target confirmed the grant; null for a grant attempted and never
   *     confirmed
   * @param expiresAt the approved duration counted from {@code grantAttemptedAt}, or from {@code
   *     startAt} when the attempt came after it (set while PENDING too)
   * @param policy the approval policy version that chose the stages
   * @param stages none: the policy waived approval
   * @param flags what looked unusual when the request opened, advice for its approvers (empty:
   *     nothing)
   * @param startAt when the access is to start, as asked; null: on approval. SCHEDULED between the
   *     approval and then; the approved duration counts from it
   * @param resources every resource asked for, in order; {@code resource} is the first
   * @param bundle the catalog's bundle the request named; left out otherwise
   * @param failedResource the resource whose grant ran out of retries (the others were revoked:
   *     FAILED); left out otherwise
   * @param breakGlass taken by break-glass, without approval, and reviewed after the fact
   */
  record AccessRequestView(
      String id,
      String requester,
      String resource,
      List<String> resources,
      @JsonInclude(JsonInclude.Include.NON_NULL) String bundle,
      @JsonInclude(JsonInclude.Include.NON_NULL) String failedResource,
      String duration,
      String approvedDuration,
      String justification,
      String ticket,
      List<FlagView> flags,
      RequestStatus status,
      Instant requestedAt,
      Instant startAt,
      boolean breakGlass,
      @JsonProperty("extends") @JsonInclude(JsonInclude.Include.NON_NULL) String extendsId,
      Instant grantAttemptedAt,
      Instant grantedAt,
      Instant expiresAt,
      Instant endedAt,
      String endedBy,
      String endReason,
      String policy,
      List<StageView> stages,
      List<DecisionView> decisions,
      String auditTrail,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<HistoryView> history) {

    static AccessRequestView of(
        AccessRequest r, List<ResourceId> resources, Chain chain, boolean breakGlass) {
      return new AccessRequestView(
          r.id().value(),
          r.requester().value(),
          r.resource().value(),
          resources.stream().map(ResourceId::value).toList(),
          r.bundle(),
          r.failedResource() == null ? null : r.failedResource().value(),
          r.duration().toString(),
          chain == null ? r.duration().toString() : chain.approvedDuration().toString(),
          r.justification(),
          r.ticket(),
          r.flags().stream().map(FlagView::of).toList(),
          r.status(),
          r.requestedAt(),
          r.startAt(),
          breakGlass,
          r.extendsId() == null ? null : r.extendsId().value(),
          r.grantAttemptedAt(),
          r.grantedAt(),
          r.expiresAt(),
          r.endedAt(),
          r.endedBy(),
          r.endReason(),
          chain == null ? null : chain.policy(),
          chain == null
              ? List.of()
              : chain.stages().stream().map(s -> StageView.of(chain, s)).toList(),
          chain == null ? List.of() : chain.decisions().stream().map(DecisionView::of).toList(),
          "/api/audit?requestId=" + r.id(),
          null);
    }

    AccessRequestView withHistory(List<HistoryView> events) {
      return new AccessRequestView(
          id,
          requester,
          resource,
          resources,
          bundle,
          failedResource,
          duration,
          approvedDuration,
          justification,
          ticket,
          flags,
          status,
          requestedAt,
          startAt,
          breakGlass,
          extendsId,
          grantAttemptedAt,
          grantedAt,
          expiresAt,
          endedAt,
          endedBy,
          endReason,
          policy,
          stages,
          decisions,
          auditTrail,
          events);
    }
  }
}
