package io.portcullis.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The audit trail's keys, loaded and checked once at start-up: the application does not start with
 * a key missing, malformed, or a public key that does not match the private one, because a trail
 * written with a wrong key can never be verified afterwards. No method returns or prints a secret.
 */
@NamedInterface("settings")
@Component
public class AuditKeys {

  static final String HMAC_KEY = "portcullis.audit.hmac-key";
  static final String SIGNING_KEY = "portcullis.audit.signing-key";
  static final String PUBLIC_KEY = "portcullis.audit.public-key";
  private static final int MIN_HMAC_KEY_BYTES = 32;

  private final SecretKeySpec hmacKey;
  private final PrivateKey signingKey;
  private final PublicKey publicKey;
  private final String keyId;

  AuditKeys(AuditProperties properties) {
    byte[] hmac = decode(HMAC_KEY, properties.hmacKey());
    if (hmac.length < MIN_HMAC_KEY_BYTES) {
      throw new MissingAuditKeyException(
          HMAC_KEY, "is too short: it needs at least " + MIN_HMAC_KEY_BYTES + " random bytes");
    }
    this.hmacKey = new SecretKeySpec(hmac, "HmacSHA256");
    this.signingKey = privateKey(decode(SIGNING_KEY, properties.signingKey()));
    this.publicKey = publicKey(decode(PUBLIC_KEY, properties.publicKey()));
    this.keyId = keyIdOf(publicKey);
    byte[] probe = "portcullis-audit-key-check".getBytes(StandardCharsets.UTF_8);
    if (!AuditChain.verifySignature(publicKey, probe, sign(probe))) {
      throw new MissingAuditKeyException(
          PUBLIC_KEY, "does not match " + SIGNING_KEY + ": they must be one Ed25519 key pair");
    }
  }

  /** HMAC-SHA256 of the text's UTF-8 bytes, as lowercase hex. */
  String mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(hmacKey);
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  byte[] sign(byte[] message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(signingKey);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as the property holds it: base64 of X.509 SubjectPublicKeyInfo (DER). */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  /**
   * Names the key pair in checkpoint rows, so a rotated key can be told from a forged signature.
   */
  public String keyId() {
    return keyId;
  }

  static String keyIdOf(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return "ed25519:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static byte[] decode(String property, String value) {
    if (value == null || value.isBlank()) {
      throw new MissingAuditKeyException(
          property,
          "is not set: the audit trail cannot record events without it (see docs/audit.md)");
    }
    return bytesOf(value)
        .orElseThrow(() -> new MissingAuditKeyException(property, "is not valid base64"));
  }

  /**
   * A key setting's bytes, as this class reads them: a PEM file's body may be pasted as it is (its
   * armour lines and line breaks are dropped), then base64. The one reading of a key, so that a
   * check that two settings hold the same key (the prod profile's refusal of the public demo keys)
   * compares what would be used, not how it was written.
   *
   * @return empty when the value is not base64 (start-up then refuses it, naming the property)
   */
  public static Optional<byte[]> bytesOf(String value) {
    String base64 =
        value
            .lines()
            .filter(line -> !line.strip().startsWith("-----"))
            .collect(Collectors.joining())
            .replaceAll("\\s", "");
    try {
      return Optional.of(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static PrivateKey privateKey(byte[] pkcs8) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new MissingAuditKeyException(
          SIGNING_KEY, "is not an Ed25519 private key in PKCS#8 (base64 of DER)");
    }
  }

  private static PublicKey publicKey(byte[] spki) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new MissingAuditKeyException(
          PUBLIC_KEY, "is not an Ed25519 public key as X.509 SubjectPublicKeyInfo (base64 of DER)");
    }
  }

  @Override
  public String toString() {
    return "AuditKeys[" + keyId + "]";
  }
}
