package io.portcullis.credential;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.portcullis.credential.CredentialStore.Credential;
import io.portcullis.web.PublicUrl;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Access tokens as RFC 9068 has them: a JWT of type {@code at+jwt}, ES256, with {@code iss} (the
 * public URL), {@code sub} (the holder), {@code aud} (the instance's audience), {@code scope} (the
 * entry's target), {@code client_id} (the instance), {@code iat}, {@code exp}, {@code jti} and the
 * request's id. Verified with Nimbus' own processor, as a resource server would, against the
 * current and previous key, on the engine's clock (so that an expiry moves with it) and with no
 * leeway: the life of a token is its {@code exp}, to the second.
 */
@Component
class AccessTokens {

  static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
  static final String REQUEST_ID = "request_id";

  private final SigningKeys keys;
  private final PublicUrl publicUrl;

  AccessTokens(SigningKeys keys, PublicUrl publicUrl) {
    this.keys = keys;
    this.publicUrl = publicUrl;
  }

  /** A signed token; what was put in it, with its jti, comes back beside it. */
  record Minted(String token, String jti, Instant expiresAt) {
    @Override
    public String toString() {
      return "Minted[jti=" + jti + ", expiresAt=" + expiresAt + "]";
    }
  }

  /**
   * A new access token for a credential, living {@code ttl} from {@code now} but never past the
   * grant's end.
   */
  Minted mint(Credential c, String audience, Duration ttl, Instant now) {
    ECKey key =
        keys.signing()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        CredentialProperties.SIGNING_KEYS + ".current is not set"));
    Instant issued = Instant.ofEpochSecond(now.getEpochSecond());
    Instant end = issued.plus(ttl);
    Instant expires = end.isAfter(c.expiresAt()) ? c.expiresAt() : end;
    String jti = UUID.randomUUID().toString();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(publicUrl.origin())
            .subject(c.holder().value())
            .audience(audience)
            .claim("scope", c.target().value())
            .claim("client_id", c.connector().value())
            .issueTime(Date.from(issued))
            .expirationTime(Date.from(expires))
            .jwtID(jti)
            .claim(REQUEST_ID, c.request().value())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(key.getKeyID()).build(),
            claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("the signing key cannot sign ES256", e);
    }
    return new Minted(jwt.serialize(), jti, expires);
  }

  /**
   * The claims of a token this node signed (current or previous key), of type {@code at+jwt}, from
   * this issuer, not expired; empty for anything else, whatever the reason.
   */
  Optional<JWTClaimsSet> verify(String token) {
    if (!keys.configured() || token.chars().filter(ch -> ch == '.').count() != 2) {
      return Optional.empty();
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.ES256, new ImmutableJWKSet<>(keys.publicKeys())));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            null,
            new JWTClaimsSet.Builder().issuer(publicUrl.origin()).build(),
            Set.of("sub", "aud", "exp", "iat", "jti", "scope", "client_id", REQUEST_ID)) {
          @Override
          protected Date currentTime() {
            return ClockUtil.getCurrentTime();
          }
        };
    claims.setMaxClockSkew(0);
    processor.setJWTClaimsSetVerifier(claims);
    try {
      return Optional.of(processor.process(token, null));
    } catch (ParseException | JOSEException | BadJOSEException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      // a malformed token can trip a parser: it is a token that is not ours, nothing more
      return Optional.empty();
    }
  }
}
