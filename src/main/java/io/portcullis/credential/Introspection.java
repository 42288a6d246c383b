package io.portcullis.credential;

import com.nimbusds.jwt.JWTClaimsSet;
import io.portcullis.credential.CredentialStore.Credential;
import io.portcullis.kernel.LeavingPeople;
import io.portcullis.kernel.RequestId;
import io.portcullis.request.HeldAccess;
import io.portcullis.web.PublicUrl;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Service;

/**
 * What a resource server learns of a token (RFC 7662). A credential is active only while all of
 * these hold: it was not revoked (its slot's revoke), its grant's end is ahead (by the engine's
 * clock, so an expiry shows before the expiry step has run), its request is ACTIVE (ended in the
 * revoke step's own transaction), and its holder is not frozen by an offboarding (from the freeze's
 * commit, before the saga reaches the grant). Anything else, a malformed token or one that is
 * nobody's included, is {@code {"active": false}} and nothing more, so the answer says nothing of
 * why. An access token (a JWT) is active only if its signature (current or previous key), type,
 * issuer and {@code exp} hold, its audience is its instance's, its jti was not revoked, and the
 * hand-out it came from is live by the same rule; a refresh token is active while its hand-out is
 * live and it was not rotated away.
 */
@Service
class Introspection {

  static final Map<String, Object> INACTIVE = Map.of("active", false);

  private final CredentialStore store;
  private final HeldAccess held;
  private final LeavingPeople leaving;
  private final PublicUrl publicUrl;
  private final AccessTokens accessTokens;
  private final JwtCredentialConnectorType jwts;

  Introspection(
      CredentialStore store,
      HeldAccess held,
      LeavingPeople leaving,
      PublicUrl publicUrl,
      AccessTokens accessTokens,
      JwtCredentialConnectorType jwts) {
    this.store = store;
    this.held = held;
    this.leaving = leaving;
    this.publicUrl = publicUrl;
    this.accessTokens = accessTokens;
    this.jwts = jwts;
  }

  Map<String, Object> of(String token) {
    if (ApiKeyFormat.wellFormed(token, ApiKeyFormat.PREFIX)) {
      return stored(token, CredentialHandOut.KIND_API_KEY)
          .filter(this::live)
          .map(this::active)
          .orElse(INACTIVE);
    }
    if (ApiKeyFormat.wellFormed(token, ApiKeyFormat.REFRESH_PREFIX)) {
      return stored(token, CredentialHandOut.KIND_JWT)
          .filter(this::live)
          .map(this::activeRefresh)
          .orElse(INACTIVE);
    }
    return accessToken(token).map(this::active).orElse(INACTIVE);
  }

  /**
   * The stored credential of this secret (an API key, or a refresh token not yet rotated away): a
   * secret whose checksum is wrong is refused before any look-up.
   */
  Optional<Credential> stored(String secret, String kind) {
    String prefix =
        kind.equals(CredentialHandOut.KIND_JWT) ? ApiKeyFormat.REFRESH_PREFIX : ApiKeyFormat.PREFIX;
    if (!ApiKeyFormat.wellFormed(secret, prefix)) {
      return Optional.empty();
    }
    String hash = SecretHash.of(secret);
    return store
        .bySecret(hash)
        .filter(c -> SecretHash.same(c.secretSha256(), hash))
        .filter(c -> c.kind().equals(kind));
  }

  /** An access token's claims and the hand-out it came from, when both are what we issued. */
  record Verified(JWTClaimsSet claims, Credential credential) {}

  /**
   * A JWT we signed, still before its exp, whose audience is its instance's and whose hand-out
   * exists; revoked or not.
   */
  Optional<Verified> verified(String token) {
    if (token == null || token.chars().filter(ch -> ch == '.').count() != 2) {
      return Optional.empty();
    }
    return accessTokens
        .verify(token)
        .flatMap(
            claims -> {
              Object request = claims.getClaim(AccessTokens.REQUEST_ID);
              if (!(request instanceof String id) || !id.matches(RequestId.PATTERN)) {
                return Optional.empty();
              }
              return store
                  .byRequest(RequestId.of(id), CredentialHandOut.KIND_JWT)
                  .filter(c -> c.holder().value().equals(claims.getSubject()))
                  .filter(c -> c.connector().value().equals(claims.getClaim("client_id")))
                  .filter(c -> c.target().value().equals(claims.getClaim("scope")))
                  .filter(
                      c ->
                          jwts.instance(c.connector())
                              .map(i -> claims.getAudience().equals(List.of(i.audience())))
                              .orElse(false))
                  .map(c -> new Verified(claims, c));
            });
  }

  private Optional<Verified> accessToken(String token) {
    return verified(token)
        .filter(v -> !store.jtiRevoked(v.claims().getJWTID()))
        .filter(v -> live(v.credential()));
  }

  /**
   * The one rule of a live credential, asked by introspection and by a refresh alike: not revoked,
   * its grant's end ahead, its request ACTIVE, its holder not frozen.
   */
  boolean live(Credential c) {
    return c.revokedAt() == null
        && now().isBefore(c.expiresAt())
        && held.live(c.request())
        && !leaving.frozen(c.holder())
        && !store.accountDisabled(c.connector(), c.holder());
  }

  private Map<String, Object> active(Credential c) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("active", true);
    answer.put("sub", c.holder().value());
    answer.put("scope", c.target().value());
    answer.put("client_id", c.connector().value());
    answer.put("token_type", "Bearer");
    answer.put("iat", c.issuedAt().getEpochSecond());
    answer.put("exp", c.expiresAt().getEpochSecond());
    answer.put("iss", publicUrl.origin());
    answer.put("jti", c.id());
    answer.put("request_id", c.request().value());
    return answer;
  }

  private Map<String, Object> activeRefresh(Credential c) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("active", true);
    answer.put("sub", c.holder().value());
    answer.put("scope", c.target().value());
    answer.put("client_id", c.connector().value());
    answer.put("token_type", "refresh_token");
    answer.put("iat", c.issuedAt().getEpochSecond());
    answer.put("exp", c.expiresAt().getEpochSecond());
    answer.put("iss", publicUrl.origin());
    answer.put("request_id", c.request().value());
    return answer;
  }

  private Map<String, Object> active(Verified v) {
    JWTClaimsSet claims = v.claims();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("active", true);
    answer.put("sub", claims.getSubject());
    answer.put("scope", claims.getClaim("scope"));
    answer.put("client_id", claims.getClaim("client_id"));
    answer.put("token_type", "Bearer");
    answer.put("aud", claims.getAudience().get(0));
    answer.put("iat", claims.getIssueTime().toInstant().getEpochSecond());
    answer.put("exp", claims.getExpirationTime().toInstant().getEpochSecond());
    answer.put("iss", claims.getIssuer());
    answer.put("jti", claims.getJWTID());
    answer.put("request_id", v.credential().request().value());
    return answer;
  }

  private static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
