package io.portcullis.credential;

import io.portcullis.credential.CredentialHandOut.IssuedTokens;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /oauth2/token} with {@code grant_type=refresh_token} (RFC 6749 section 6) and {@code
 * POST /oauth2/revoke} (RFC 7009), for the holder of a JWT credential: a public client, whose
 * refresh token is all it shows. Refusals in RFC 6749 section 5.2's form.
 */
@RestController
class TokenController {

  private final RefreshGrant grant;

  TokenController(RefreshGrant grant) {
    this.grant = grant;
  }

  @PostMapping(
      path = OAuthSecurity.ROOT + "/token",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> token(
      @RequestParam(name = "grant_type", required = false) String grantType,
      @RequestParam(name = "refresh_token", required = false) String refreshToken,
      @RequestParam(name = "client_id", required = false) String clientId) {
    if (grantType == null || grantType.isBlank()) {
      return error("invalid_request");
    }
    if (!grantType.equals("refresh_token")) {
      return error("unsupported_grant_type");
    }
    if (refreshToken == null || refreshToken.isBlank()) {
      return error("invalid_request");
    }
    return grant
        .refresh(refreshToken.strip(), clientId)
        .map(TokenController::answer)
        .orElseGet(() -> error("invalid_grant"));
  }

  @PostMapping(
      path = OAuthSecurity.ROOT + "/revoke",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<Void> revoke(@RequestParam(name = "token", required = false) String token) {
    if (token == null || token.isBlank()) {
      return ResponseEntity.badRequest().cacheControl(CacheControl.noStore()).build();
    }
    grant.revoke(token.strip());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).build();
  }

  private static ResponseEntity<Map<String, Object>> answer(IssuedTokens tokens) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", tokens.accessToken());
    body.put("token_type", tokens.tokenType());
    body.put("expires_in", tokens.expiresIn());
    body.put("refresh_token", tokens.refreshToken());
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .header("Pragma", "no-cache")
        .body(body);
  }

  private static ResponseEntity<Map<String, Object>> error(String error) {
    return ResponseEntity.badRequest()
        .cacheControl(CacheControl.noStore())
        .body(Map.of("error", error));
  }
}
