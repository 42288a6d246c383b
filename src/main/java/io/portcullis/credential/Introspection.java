package io.portcullis.credential;

import io.portcullis.credential.CredentialStore.Credential;
import io.portcullis.kernel.LeavingPeople;
import io.portcullis.request.HeldAccess;
import io.portcullis.web.PublicUrl;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * why.
 */
@Service
class Introspection {

  static final Map<String, Object> INACTIVE = Map.of("active", false);

  private final CredentialStore store;
  private final HeldAccess held;
  private final LeavingPeople leaving;
  private final PublicUrl publicUrl;

  Introspection(
      CredentialStore store, HeldAccess held, LeavingPeople leaving, PublicUrl publicUrl) {
    this.store = store;
    this.held = held;
    this.leaving = leaving;
    this.publicUrl = publicUrl;
  }

  Map<String, Object> of(String token) {
    return apiKey(token).filter(this::live).map(this::active).orElse(INACTIVE);
  }

  /** The stored key of this text: a key whose checksum is wrong is refused before any look-up. */
  private Optional<Credential> apiKey(String token) {
    if (!ApiKeyFormat.wellFormed(token)) {
      return Optional.empty();
    }
    String hash = SecretHash.of(token);
    return store.bySecret(hash).filter(c -> SecretHash.same(c.secretSha256(), hash));
  }

  private boolean live(Credential c) {
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

  private static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
