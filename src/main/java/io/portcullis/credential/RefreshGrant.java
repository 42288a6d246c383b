package io.portcullis.credential;

import io.portcullis.credential.AccessTokens.Minted;
import io.portcullis.credential.CredentialHandOut.IssuedTokens;
import io.portcullis.credential.CredentialStore.Credential;
import java.time.Instant;
import java.util.Optional;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The holder's side of a JWT credential at {@code /oauth2}: a refresh (RFC 6749 section 6) and a
 * revocation (RFC 7009). A refresh token is good once: each use rotates it, and a token already
 * rotated away that comes back (a copy in someone else's hands, or the holder's after theirs was
 * stolen and used) revokes the whole family, because the server cannot tell which of the two is the
 * thief. A refresh is refused by the same rule that makes a token inactive at introspection ({@link
 * Introspection#live}), so it stops at the instant the grant ends, is revoked or its holder is
 * frozen.
 */
@Service
class RefreshGrant {

  private final Introspection introspection;
  private final CredentialStore store;
  private final CredentialHandOut handOut;
  private final CredentialEvents events;

  RefreshGrant(
      Introspection introspection,
      CredentialStore store,
      CredentialHandOut handOut,
      CredentialEvents events) {
    this.introspection = introspection;
    this.store = store;
    this.handOut = handOut;
    this.events = events;
  }

  /**
   * A new access token and the next refresh token; empty ({@code invalid_grant}) for anything else.
   * A reuse revokes the family in this transaction, which commits although the answer is a refusal.
   */
  @Transactional
  Refresh refresh(String refreshToken, String clientId) {
    Optional<Credential> current = introspection.stored(refreshToken, CredentialHandOut.KIND_JWT);
    if (current.isEmpty()) {
      return reused(refreshToken) ? Refresh.REFUSED : Refresh.UNKNOWN;
    }
    Credential family = current.get();
    if (!introspection.live(family)
        || (clientId != null && !clientId.equals(family.connector().value()))) {
      return Refresh.REFUSED;
    }
    Instant now = now();
    String next = ApiKeyFormat.newKey(ApiKeyFormat.REFRESH_PREFIX);
    if (!store.rotate(family.id(), family.secretSha256(), SecretHash.of(next), now)) {
      // another use of the same token rotated it first: that is a reuse too
      killFamily(family.id());
      return Refresh.REFUSED;
    }
    Minted token = handOut.mint(family, now);
    events.refreshed(family, token.jti());
    return new Refresh(CredentialHandOut.tokens(token, next, now), true);
  }

  /**
   * Revokes what this token names, if it is ours: a refresh token's family (current or rotated
   * away), or one access token by its jti. Nothing is said of which it was (RFC 7009 section 2.2).
   *
   * @return whether the token was one of ours at all (revoked now, or before)
   */
  @Transactional
  boolean revoke(String token) {
    Optional<Credential> family = introspection.stored(token, CredentialHandOut.KIND_JWT);
    if (family.isEmpty() && ApiKeyFormat.wellFormed(token, ApiKeyFormat.REFRESH_PREFIX)) {
      family = store.usedBy(SecretHash.of(token)).flatMap(store::byId);
    }
    if (family.isPresent()) {
      if (store.revoke(family.get().id(), now())) {
        events.holderRevoked(family.get(), null);
      }
      return true;
    }
    Optional<Introspection.Verified> access = introspection.verified(token);
    access
        .filter(v -> !store.jtiRevoked(v.claims().getJWTID()))
        .ifPresent(
            v -> {
              store.revokeJti(
                  v.claims().getJWTID(),
                  v.credential().id(),
                  v.claims().getExpirationTime().toInstant(),
                  now());
              events.holderRevoked(v.credential(), v.claims().getJWTID());
            });
    return access.isPresent();
  }

  /** Whether this token is one a family used before; that family is revoked. */
  private boolean reused(String refreshToken) {
    if (!ApiKeyFormat.wellFormed(refreshToken, ApiKeyFormat.REFRESH_PREFIX)) {
      return false;
    }
    Optional<String> family = store.usedBy(SecretHash.of(refreshToken));
    family.ifPresent(this::killFamily);
    return family.isPresent();
  }

  private void killFamily(String id) {
    store
        .byId(id)
        .ifPresent(
            family -> {
              // audited even when the family was dead already: a reuse is worth knowing of
              store.revoke(id, now());
              events.refreshReused(family);
            });
  }

  /**
   * What a refresh came to: new tokens, or a refusal of a token that is ours (ended, rotated away,
   * another client's), or a token nobody holds, which the door counts against its sender.
   */
  record Refresh(IssuedTokens tokens, boolean known) {
    static final Refresh REFUSED = new Refresh(null, true);
    static final Refresh UNKNOWN = new Refresh(null, false);

    Optional<IssuedTokens> issued() {
      return Optional.ofNullable(tokens);
    }
  }

  private static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
