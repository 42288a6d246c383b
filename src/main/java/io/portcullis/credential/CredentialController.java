package io.portcullis.credential;

import io.portcullis.credential.CredentialHandOut.Issued;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.RequestId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/access-requests/{id}/credential}: the credential of a granted request, once. */
@RestController
@Validated
@Tag(name = "Access requests", description = "Ask for time-boxed access, decide, revoke, cancel")
class CredentialController {

  private final CredentialHandOut handOut;

  CredentialController(CredentialHandOut handOut) {
    this.handOut = handOut;
  }

  @PostMapping("/api/access-requests/{id}/credential")
  @Operation(
      summary =
          "Take the credential of an ACTIVE request whose access is a credential (the requester, once): an API key "
              + "that dies when the access ends, or a JWT access token and a refresh token that no longer "
              + "refreshes when the access ends")
  @ApiResponse(
      responseCode = "201",
      description =
          "The key, shown this once, and when it dies; or the access token (Bearer), its life in "
              + "seconds and the refresh token, shown this once")
  @ApiResponse(
      responseCode = "409",
      description =
          "The request is not ACTIVE, its access is not a credential, or its credential was "
              + "handed out already",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  ResponseEntity<Issued> issue(
      @AuthenticationPrincipal Caller caller,
      @PathVariable @Pattern(regexp = RequestId.PATTERN) String id) {
    // a secret in the answer: no cache along the way may keep it
    return ResponseEntity.status(HttpStatus.CREATED)
        .cacheControl(CacheControl.noStore())
        .body(handOut.issue(caller, RequestId.of(id)));
  }
}
