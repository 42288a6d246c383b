package io.portcullis.drift;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.RefusedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The drift sweep on demand, and every sweep's stored report. Admins start; auditors read too. */
@RestController
@Validated
@RequestMapping("/api/drift-sweeps")
@Tag(
    name = "Drift sweeps",
    description = "Who holds a resource that nothing in Portcullis sanctions, and what was done")
class DriftSweepController {

  private final DriftSweeps sweeps;

  DriftSweepController(DriftSweeps sweeps) {
    this.sweeps = sweeps;
  }

  @PostMapping
  @Operation(
      operationId = "startDriftSweep",
      summary = "Sweep every resource whose connector lists members for drift, now (admins)")
  @ApiResponse(
      responseCode = "202",
      description = "The sweep runs; Location names its report, which says when it has finished")
  @ApiResponse(
      responseCode = "409",
      description = "Another sweep runs (named in the detail); read its report instead",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  ResponseEntity<SweepView> start(@AuthenticationPrincipal Caller caller) {
    if (!caller.is(Caller.Role.ADMIN)) {
      throw new RefusedException("Only an admin may start a drift sweep.");
    }
    SweepReport report = sweeps.start(caller.username());
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create("/api/drift-sweeps/" + report.id()))
        .body(SweepView.of(report));
  }

  @GetMapping
  @Operation(
      operationId = "listDriftSweeps",
      summary = "Sweeps, newest first, without their findings (admins, auditors)")
  SweepPage list(
      @AuthenticationPrincipal Caller caller,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
    mayRead(caller);
    return new SweepPage(
        sweeps.page(page, size).stream().map(SweepView::of).toList(), page, size, sweeps.count());
  }

  @GetMapping("/{id}")
  @Operation(
      operationId = "getDriftSweep",
      summary =
          "One sweep's report: per resource, how many holders it listed or why it could not be"
              + " read, and each finding with what was done (admins, auditors)")
  SweepView get(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = DriftSweeps.ID) String id) {
    mayRead(caller);
    return SweepView.of(sweeps.report(id));
  }

  private static void mayRead(Caller caller) {
    if (!caller.is(Caller.Role.ADMIN) && !caller.is(Caller.Role.AUDITOR)) {
      throw new RefusedException("Only an admin or an auditor may read drift sweeps.");
    }
  }

  record SweepPage(List<SweepView> items, int page, int size, long totalItems) {}

  /** A sweep; {@code resources} only on GET of one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SweepView(
      String id,
      String startedBy,
      Instant startedAt,
      Instant finishedAt,
      String state,
      List<SweepReport.ResourceSwept> resources) {

    static SweepView of(SweepReport r) {
      return new SweepView(
          r.id(), r.startedBy(), r.startedAt(), r.finishedAt(), r.state(), r.resources());
    }
  }
}
