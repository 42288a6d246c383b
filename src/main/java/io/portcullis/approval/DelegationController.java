package io.portcullis.approval;

import io.portcullis.kernel.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@RequestMapping("/api/delegations")
@Tag(
    name = "Delegations",
    description = "An approver's decisions handed to a named person for a period")
class DelegationController {

  private static final String ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private final Delegations delegations;
  private final DelegationPeriods periods;
  private final Delegators delegators;

  DelegationController(Delegations delegations, DelegationPeriods periods, Delegators delegators) {
    this.delegations = delegations;
    this.periods = periods;
    this.delegators = delegators;
  }

  @PostMapping
  @Operation(
      summary =
          "Delegates the caller's approvals to a named person for a period: while it is in force, they decide in the "
              + "caller's place (both names are recorded); a delegate never passes on what was delegated to them")
  @ApiResponse(responseCode = "201", description = "The delegation")
  @ApiResponse(
      responseCode = "403",
      description =
          "The caller is in no group that the approval policy names as a stage's approver or escalation group:"
              + " only an approver delegates",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "400",
      description =
          "A field breaks a rule, named in the problem: `to` (the caller, or nobody the directory knows, or a leaver), "
              + "`from` (in the past), `until` (not after the start, in the past, or more than "
              + "portcullis.approval.max-delegation after the start), `reason` (missing)",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  ResponseEntity<DelegationView> create(
      @AuthenticationPrincipal Caller caller, @Valid @RequestBody NewDelegation body) {
    // checked again by the service; here first, to answer clearly
    Delegations.named(caller, body.to());
    periods.check(body.from(), body.until(), ApprovalChains.now());
    delegators.check(caller);
    Delegation created =
        delegations.create(caller, body.to(), body.from(), body.until(), body.reason());
    return ResponseEntity.created(URI.create("/api/delegations/" + created.id()))
        .body(DelegationView.of(created, ApprovalChains.now()));
  }

  @GetMapping
  @Operation(
      summary = "The delegations the caller gave or received, newest first; an admin sees all")
  List<DelegationView> list(@AuthenticationPrincipal Caller caller) {
    Instant now = ApprovalChains.now();
    return delegations.visibleTo(caller).stream().map(d -> DelegationView.of(d, now)).toList();
  }

  @PostMapping("/{id}/end")
  @Operation(summary = "Ends a delegation now: its delegator or an admin; the body is {}")
  @ApiResponse(responseCode = "200", description = "The delegation, ended")
  @ApiResponse(
      responseCode = "403",
      description = "The caller is the delegate: only the delegator or an admin ends it",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "404",
      description = "No such delegation, or none the caller may see",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "409",
      description = "The delegation is over already (ended or expired)",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  DelegationView end(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @RequestBody(required = false) EndBody body) {
    return DelegationView.of(delegations.end(caller, id), ApprovalChains.now());
  }

  /** An end says nothing more: a field in its body is refused, as in every other body. */
  @Schema(
      description = "Empty: an end carries no field",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record EndBody() {}

  /**
   * A new delegation.
   *
   * @param to the delegate, by their directory name
   * @param from when it starts; left out: now
   * @param until when it ends
   */
  record NewDelegation(
      @Schema(description = "the delegate, by their directory name") @NotBlank @Size(max = 64) String to,
      @Schema(description = "an ISO-8601 instant; left out: now") Instant from,
      @Schema(
              description =
                  "an ISO-8601 instant after the start, at most portcullis.approval.max-delegation (P90D) after it")
          @NotNull Instant until,
      @Schema(description = "one line") @NotBlank @Size(max = Delegations.MAX_REASON) String reason) {}

  /**
   * A delegation as the API shows it.
   *
   * @param status SCHEDULED (before its start), IN_FORCE, EXPIRED (past its end), ENDED (ended
   *     early)
   */
  record DelegationView(
      String id,
      String delegator,
      String to,
      Instant from,
      Instant until,
      String reason,
      String status,
      Instant createdAt,
      Instant endedAt,
      String endedBy) {

    static DelegationView of(Delegation d, Instant now) {
      return new DelegationView(
          d.id(),
          d.delegator().value(),
          d.delegate().value(),
          d.from(),
          d.until(),
          d.reason(),
          d.statusAt(now).name(),
          d.createdAt(),
          d.endedAt(),
          d.endedBy() == null ? null : d.endedBy().value());
    }
  }
}
