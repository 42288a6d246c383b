package io.portcullis.credential;

import io.portcullis.credential.CredentialHandOut.IssuedTokens;
import io.portcullis.credential.RefreshGrant.Refresh;
import io.portcullis.security.TokenLogin;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /oauth2/token} with {@code grant_type=refresh_token} (RFC 6749 section 6) and {@code
 * POST /oauth2/revoke} (RFC 7009), for the holder of a JWT credential: a public client, whose
 * refresh token is all it shows. Refusals in RFC 6749 section 5.2's form. These doors take no
 * login, so a token that is nobody's is counted against its sender's address like a wrong token at
 * a door that does ({@link TokenLogin#unknown}): a flood of guesses is answered 429 {@code
 * slow_down}, while a token that is someone's is never slowed.
 */
@RestController
class TokenController {

  static final String TOKEN_DOOR = "oauth2-token";
  static final String REVOKE_DOOR = "oauth2-revoke";

  private final RefreshGrant grant;
  private final TokenLogin tokens;

  TokenController(RefreshGrant grant, TokenLogin tokens) {
    this.grant = grant;
    this.tokens = tokens;
  }

  @PostMapping(
      path = OAuthSecurity.ROOT + "/token",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> token(
      @RequestParam(name = "grant_type", required = false) String grantType,
      @RequestParam(name = "refresh_token", required = false) String refreshToken,
      @RequestParam(name = "client_id", required = false) String clientId,
      HttpServletRequest request) {
    if (grantType == null || grantType.isBlank()) {
      return error("invalid_request");
    }
    if (!grantType.equals("refresh_token")) {
      return error("unsupported_grant_type");
    }
    if (refreshToken == null || refreshToken.isBlank()) {
      return error("invalid_request");
    }
    Refresh refresh = grant.refresh(refreshToken.strip(), clientId);
    if (!refresh.known()) {
      tokens.unknown(TOKEN_DOOR, request.getRemoteAddr());
    }
    return refresh.issued().map(TokenController::answer).orElseGet(() -> error("invalid_grant"));
  }

  @PostMapping(
      path = OAuthSecurity.ROOT + "/revoke",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  ResponseEntity<Void> revoke(
      @RequestParam(name = "token", required = false) String token, HttpServletRequest request) {
    if (token == null || token.isBlank()) {
      return ResponseEntity.badRequest().cacheControl(CacheControl.noStore()).build();
    }
    if (!grant.revoke(token.strip())) {
      tokens.unknown(REVOKE_DOOR, request.getRemoteAddr());
    }
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).build();
  }

  /** RFC 6749 has no code for it; {@code slow_down} is RFC 8628's, which OAuth clients know. */
  @ExceptionHandler(TokenLogin.Throttled.class)
  ResponseEntity<Map<String, Object>> throttled(TokenLogin.Throttled throttled) {
    return ResponseEntity.status(429)
        .cacheControl(CacheControl.noStore())
        .header("Retry-After", Long.toString(throttled.retryAfterSeconds()))
        .body(Map.of("error", "slow_down"));
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
