package io.portcullis.credential;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import io.portcullis.credential.CredentialProperties.SigningKeyPair;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The keys that sign access tokens ({@code portcullis.credentials.signing-keys}): the current one
 * signs, the previous one is still published and accepted so that a rotation does not kill the
 * tokens already out. ES256 (P-256) because the JDK signs it with no further library (EdDSA in
 * Nimbus needs Tink). Each key's id is its JWK thumbprint (RFC 7638), so it names the key and not
 * where it was configured. A key that does not parse, or whose halves do not match, stops the
 * start.
 */
@Component
class SigningKeys {

  private final ECKey current;
  private final ECKey previous;

  SigningKeys(CredentialProperties settings) {
    this.current = key(settings.signingKeys().current(), "current");
    this.previous = key(settings.signingKeys().previous(), "previous");
  }

  boolean configured() {
    return current != null;
  }

  /** The key that signs, with its private half; empty when none is configured. */
  Optional<ECKey> signing() {
    return Optional.ofNullable(current);
  }

  /** The public keys that verify: the current and the previous one. */
  JWKSet publicKeys() {
    List<JWK> keys = new ArrayList<>();
    for (ECKey key : new ECKey[] {current, previous}) {
      if (key != null) {
        keys.add(key.toPublicJWK());
      }
    }
    return new JWKSet(keys);
  }

  private static ECKey key(SigningKeyPair pair, String which) {
    if (pair == null) {
      return null;
    }
    String setting = CredentialProperties.SIGNING_KEYS + "." + which;
    try {
      KeyFactory factory = KeyFactory.getInstance("EC");
      ECPrivateKey privateKey =
          (ECPrivateKey)
              factory.generatePrivate(new PKCS8EncodedKeySpec(der(pair.privateKey(), setting)));
      ECPublicKey publicKey =
          (ECPublicKey)
              factory.generatePublic(new X509EncodedKeySpec(der(pair.publicKey(), setting)));
      if (!Curve.forECParameterSpec(publicKey.getParams()).equals(Curve.P_256)) {
        throw new IllegalStateException(setting + " is not a P-256 key (ES256)");
      }
      if (!pairs(privateKey, publicKey)) {
        throw new IllegalStateException(
            setting + ".public-key is not the public half of " + setting + ".private-key");
      }
      ECKey key =
          new ECKey.Builder(Curve.P_256, publicKey)
              .privateKey(privateKey)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .build();
      return new ECKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
    } catch (GeneralSecurityException | ClassCastException | JOSEException e) {
      throw new IllegalStateException(
          setting + " is not an EC P-256 key pair (PKCS#8 and X.509 DER in base64)");
    }
  }

  private static byte[] der(String base64, String setting) {
    if (base64 == null || base64.isBlank()) {
      throw new IllegalStateException(
          setting + ".private-key and " + setting + ".public-key must both be set");
    }
    try {
      return Base64.getMimeDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(setting + " is not base64");
    }
  }

  private static boolean pairs(ECPrivateKey privateKey, ECPublicKey publicKey)
      throws GeneralSecurityException {
    byte[] probe = "portcullis signing-key probe".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(privateKey);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(publicKey);
    verifier.update(probe);
    return verifier.verify(signature);
  }
}
