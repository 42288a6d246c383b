package io.portcullis.credential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a credential's secret is kept: its SHA-256 in hex, nothing else. A plain hash and not a
 * password hash (bcrypt, Argon2): the secrets are 178 random bits or more, made here, never chosen
 * by a person, so there is no dictionary to try against a stolen table and a slow hash would only
 * slow every introspection; and the hash is the look-up key, which a salted hash could not be. The
 * row found by it is compared again in constant time ({@link #same}).
 */
final class SecretHash {

  private SecretHash() {}

  static String of(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Whether two hashes are equal, in time that does not depend on where they differ. */
  static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
