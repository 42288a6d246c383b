package io.portcullis.credential;

import io.portcullis.connector.Connector;
import io.portcullis.credential.AccessTokens.Minted;
import io.portcullis.credential.CredentialStore.Credential;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.RequestId;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.HeldAccess;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Hands a granted request's credential to its requester, once. Who may take it is the request's
 * rule ({@link HeldAccess}: the requester of an ACTIVE request); that it is handed out once is the
 * table's (one credential of a kind per request), so two calls at once cannot both get one. The
 * secret leaves only in the answer; the store and the trail keep its hash and its id. An {@code
 * api-key} request gets a key; a {@code jwt-credential} request an access token and the first
 * refresh token of its family, whose hash is what the store keeps.
 */
@Service
class CredentialHandOut {

  static final String KIND_API_KEY = ApiKeyConnectorType.TYPE;
  static final String KIND_JWT = JwtCredentialConnectorType.TYPE;

  private final HeldAccess held;
  private final ApiKeyConnectorType apiKeys;
  private final JwtCredentialConnectorType jwts;
  private final AccessTokens accessTokens;
  private final CredentialStore store;
  private final CredentialEvents events;

  CredentialHandOut(
      HeldAccess held,
      ApiKeyConnectorType apiKeys,
      JwtCredentialConnectorType jwts,
      AccessTokens accessTokens,
      CredentialStore store,
      CredentialEvents events) {
    this.held = held;
    this.apiKeys = apiKeys;
    this.jwts = jwts;
    this.accessTokens = accessTokens;
    this.store = store;
    this.events = events;
  }

  /** What a hand-out answers: a key or tokens. */
  @Schema(oneOf = {IssuedApiKey.class, IssuedTokens.class})
  sealed interface Issued permits IssuedApiKey, IssuedTokens {}

  /** The key, in clear for this once, and when it dies. */
  record IssuedApiKey(String apiKey, Instant expiresAt) implements Issued {
    @Override
    public String toString() {
      return "IssuedApiKey[expiresAt=" + expiresAt + "]";
    }
  }

  /**
   * An access token and the next refresh token (RFC 6749 section 5.1's names in camel case here, in
   * its own at {@code /oauth2/token}); {@code expiresIn} is the access token's life in seconds.
   */
  record IssuedTokens(String tokenType, String accessToken, String refreshToken, long expiresIn)
      implements Issued {
    @Override
    public String toString() {
      return "IssuedTokens[tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
    }
  }

  @Transactional
  Issued issue(Caller caller, RequestId id) {
    AccessRequest request = held.ownActive(caller, id, "take its credential");
    Optional<JwtCredentialConnector> jwt = jwts.instance(request.connector());
    Connector connector =
        jwt.<Connector>map(c -> c)
            .or(() -> apiKeys.instance(request.connector()))
            .orElseThrow(
                () ->
                    new ConflictException(
                        "The access of request "
                            + id
                            + " is not a credential: "
                            + request.connector()
                            + " hands out none."));
    if (!connector.holds(request.requester(), request.target())) {
      throw new ConflictException(
          "The grant of request " + id + " is not in place; no credential can be handed out.");
    }
    String kind = jwt.isPresent() ? KIND_JWT : KIND_API_KEY;
    if (store.issuedFor(request.id(), kind)) {
      throw handedOutAlready(id);
    }
    String secret =
        ApiKeyFormat.newKey(jwt.isPresent() ? ApiKeyFormat.REFRESH_PREFIX : ApiKeyFormat.PREFIX);
    Instant now = ClockUtil.getCurrentTime().toInstant();
    Credential credential =
        new Credential(
            UUID.randomUUID().toString(),
            request.id(),
            kind,
            request.connector(),
            request.requester(),
            request.target(),
            SecretHash.of(secret),
            now,
            request.expiresAt(),
            null);
    try {
      store.insert(credential);
    } catch (DuplicateKeyException e) {
      throw handedOutAlready(id);
    }
    if (jwt.isEmpty()) {
      events.issued(credential);
      return new IssuedApiKey(secret, request.expiresAt());
    }
    Minted token = mint(credential, jwt.get(), now);
    events.issued(credential, token.jti());
    return tokens(token, secret, now);
  }

  /** The next access token of a live family, for a refresh. */
  Minted mint(Credential family, Instant now) {
    JwtCredentialConnector instance =
        jwts.instance(family.connector())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        family.connector() + " is no longer a jwt-credential instance"));
    return mint(family, instance, now);
  }

  private Minted mint(Credential family, JwtCredentialConnector instance, Instant now) {
    return accessTokens.mint(family, instance.audience(), instance.tokenTtl(), now);
  }

  static IssuedTokens tokens(Minted token, String refreshToken, Instant now) {
    // from the token's iat (whole seconds), so a 5-minute token says 300 and not 299
    long expiresIn =
        Duration.between(Instant.ofEpochSecond(now.getEpochSecond()), token.expiresAt())
            .toSeconds();
    return new IssuedTokens("Bearer", token.token(), refreshToken, Math.max(expiresIn, 0));
  }

  private static ConflictException handedOutAlready(RequestId id) {
    return new ConflictException(
        "The credential of request " + id + " was handed out already: it is handed out once.");
  }
}
