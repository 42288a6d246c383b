package io.portcullis.offboarding;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.OffboardingId;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.Username;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import java.util.List;
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

/**
 * The HR API of offboarding. HR systems and admins start and cancel; auditors read too; only admins
 * resolve an offboarding that needs attention (as Tasklist's task does).
 */
@RestController
@Validated
@RequestMapping("/api/offboardings")
@Tag(
    name = "Offboardings",
    description = "One call from HR removes every access of a leaver, and proves it")
class OffboardingController {

  private static final String ID = OffboardingId.PATTERN;

  private final Offboardings offboardings;
  private final OffboardingReport reports;
  private final OffboardingResolutions resolutions;

  OffboardingController(
      Offboardings offboardings, OffboardingReport reports, OffboardingResolutions resolutions) {
    this.offboardings = offboardings;
    this.reports = reports;
    this.resolutions = resolutions;
  }

  @PostMapping
  @Operation(
      operationId = "startOffboarding",
      summary =
          "Offboard a person, now or at effectiveAt, or move their scheduled offboarding "
              + "earlier; idempotent on hrReference (HR systems, admins)")
  @ApiResponse(responseCode = "201", description = "A new offboarding; Location names it")
  @ApiResponse(
      responseCode = "200",
      description =
          "The offboarding this hrReference started or moved before; or the person's scheduled "
              + "offboarding, which this ask moved earlier: to now without effectiveAt, to effectiveAt when that is earlier")
  @ApiResponse(
      responseCode = "409",
      description =
          "The person is being (or was) offboarded under another hrReference and this ask does not "
              + "move it (an offboarding is never moved later), named in the detail",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @ApiResponse(
      responseCode = "422",
      description = "The directory has no person of this name: nobody is offboarded",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  ResponseEntity<OffboardingView> start(
      @AuthenticationPrincipal Caller caller, @Valid @RequestBody NewOffboarding body) {
    mayStart(caller);
    Offboardings.Started started =
        offboardings.start(
            caller.username().value(),
            new OffboardingAsk(
                Username.of(body.username()),
                body.effectiveAt(),
                body.reason(),
                body.hrReference()));
    OffboardingView view = view(started.offboarding(), false);
    return started.created()
        ? ResponseEntity.created(URI.create("/api/offboardings/" + view.id())).body(view)
        : ResponseEntity.ok(view);
  }

  @GetMapping
  @Operation(
      operationId = "listOffboardings",
      summary = "Offboardings, newest first, by person and status (HR systems, admins, auditors)")
  OffboardingPage list(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(required = false) @Pattern(regexp = Username.PATTERN) String username,
      @RequestParam(required = false) OffboardingStatus status,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
    mayRead(caller);
    // the parameter's pattern is the name's own, checked above
    Username person = username == null ? null : Username.of(username);
    return new OffboardingPage(
        offboardings.list(person, status, page, size).stream().map(o -> view(o, false)).toList(),
        page,
        size,
        offboardings.count(person, status));
  }

  @GetMapping("/{id}")
  @Operation(
      operationId = "getOffboarding",
      summary =
          "One offboarding with its evidence, system by system (HR systems, admins, auditors)")
  OffboardingView get(
      @AuthenticationPrincipal Caller caller, @PathVariable @Pattern(regexp = ID) String id) {
    mayRead(caller);
    OffboardingId offboarding = OffboardingId.of(id);
    return view(
        offboardings.find(offboarding).orElseThrow(() -> Offboardings.missing(offboarding)), true);
  }

  @PostMapping("/{id}/cancel")
  @Operation(
      operationId = "cancelOffboarding",
      summary =
          "Cancel a SCHEDULED offboarding before its effective time, unless the identity "
              + "provider asked for it (HR systems, admins)")
  OffboardingView cancel(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @RequestBody(required = false) CancelBody body) {
    mayStart(caller);
    return view(offboardings.cancel(caller.username().value(), OffboardingId.of(id)), false);
  }

  @PostMapping("/{id}/retry")
  @Operation(
      operationId = "retryOffboarding",
      summary =
          "Have an offboarding that NEEDS_ATTENTION look again, from finding and freezing the person (admins)")
  @ApiResponse(responseCode = "202", description = "The offboarding, IN_PROGRESS again")
  ResponseEntity<OffboardingView> retry(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @Valid @RequestBody(required = false) ResolutionBody body) {
    resolutions.resolve(
        caller, OffboardingId.of(id), FindingsTask.RETRY, body == null ? null : body.comment());
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(view(offboardings.find(OffboardingId.of(id)).orElseThrow(), false));
  }

  @PostMapping("/{id}/close")
  @Operation(
      operationId = "closeOffboarding",
      summary = "Close an offboarding that NEEDS_ATTENTION with what is left, saying why (admins)")
  OffboardingView close(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = ID) String id,
      @Valid @RequestBody ResolutionBody body) {
    resolutions.resolve(caller, OffboardingId.of(id), FindingsTask.CLOSE, body.comment());
    return view(offboardings.find(OffboardingId.of(id)).orElseThrow(), true);
  }

  private static void mayStart(Caller caller) {
    if (!caller.is(Caller.Role.HR) && !caller.is(Caller.Role.ADMIN)) {
      throw new RefusedException(
          "Only an HR system or an admin may start or cancel an offboarding.");
    }
  }

  private static void mayRead(Caller caller) {
    if (!caller.is(Caller.Role.HR)
        && !caller.is(Caller.Role.ADMIN)
        && !caller.is(Caller.Role.AUDITOR)) {
      throw new RefusedException(
          "Only an HR system, an admin or an auditor may read offboardings.");
    }
  }

  private OffboardingView view(Offboarding o, boolean withReport) {
    return new OffboardingView(
        o.id().value(),
        o.username().value(),
        o.reference(),
        o.reason(),
        o.effectiveAt(),
        o.status(),
        o.requestedBy(),
        o.requestedAt(),
        o.startedAt(),
        o.endedAt(),
        o.outcome(),
        "/api/audit?requestId=" + o.id(),
        withReport ? reports.of(o) : null);
  }

  /**
   * @param effectiveAt when the person leaves; left out, or in the past: now. For a person whose
   *     offboarding is scheduled, an earlier time (or now) moves it there
   * @param hrReference HR's own key for this ask: asking again with it answers the same offboarding
   */
  record NewOffboarding(String username, Instant effectiveAt, String reason, String hrReference) {}

  record ResolutionBody(String comment) {}

  /** A cancel says nothing more: a field in its body is refused, as in every other body. */
  @Schema(
      description = "Empty: a cancel carries no field",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record CancelBody() {}

  record OffboardingPage(List<OffboardingView> items, int page, int size, long totalItems) {}

  /** An offboarding as HR and auditors see it; {@code report} on GET of one. */
  record OffboardingView(
      String id,
      String username,
      String hrReference,
      String reason,
      Instant effectiveAt,
      OffboardingStatus status,
      String requestedBy,
      Instant requestedAt,
      Instant startedAt,
      Instant endedAt,
      String outcome,
      String auditTrail,
      @JsonInclude(JsonInclude.Include.NON_NULL) OffboardingReport.Report report) {}
}
