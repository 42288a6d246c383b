package io.portcullis.credential;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * An API key as secret scanners find it, on GitHub's model: {@code pcx_}, 30 base62 characters of
 * randomness (30 x log2 62 = 178 bits) and a 6-character base62 CRC32 of everything before it. The
 * checksum lets a key with a typo (or a string that merely looks like one) be refused before any
 * look-up, and lets a scanner tell a real key from noise without asking Portcullis.
 */
final class ApiKeyFormat {

  static final String PREFIX = "pcx_";

  /**
   * A {@code jwt-credential}'s refresh token: the same format under its own prefix, so that a
   * scanner tells one from a key.
   */
  static final String REFRESH_PREFIX = "pcr_";

  static final int RANDOM_CHARS = 30;
  static final int CHECKSUM_CHARS = 6;
  static final int LENGTH = PREFIX.length() + RANDOM_CHARS + CHECKSUM_CHARS;
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  /** A new key. */
  static String newKey() {
    return newKey(PREFIX);
  }

  /** A new secret of this format under {@code prefix} (4 characters). */
  static String newKey(String prefix) {
    StringBuilder key = new StringBuilder(LENGTH).append(prefix);
    for (int i = 0; i < RANDOM_CHARS; i++) {
      key.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return key.append(checksum(key)).toString();
  }

  /**
   * Whether {@code text} has the shape of a key and its checksum is right: no look-up for anything
   * else.
   */
  static boolean wellFormed(String text) {
    return wellFormed(text, PREFIX);
  }

  /** As {@link #wellFormed(String)}, under {@code prefix}. */
  static boolean wellFormed(String text, String prefix) {
    if (text == null || text.length() != LENGTH || !text.startsWith(prefix)) {
      return false;
    }
    for (int i = PREFIX.length(); i < LENGTH; i++) {
      if (BASE62.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return checksum(text.substring(0, LENGTH - CHECKSUM_CHARS))
        .equals(text.substring(LENGTH - CHECKSUM_CHARS));
  }

  /** The CRC32 of {@code body} in base62, zero-padded to 6 characters (62^6 > 2^32). */
  static String checksum(CharSequence body) {
    CRC32 crc = new CRC32();
    crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] digits = new char[CHECKSUM_CHARS];
    for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }
}
