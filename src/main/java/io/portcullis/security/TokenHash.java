package io.portcullis.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.modulith.NamedInterface;

/**
 * A system client's bearer token as Portcullis keeps it: its SHA-256 only, so that neither the
 * configuration nor a heap dump holds anything that logs in. A presented token is hashed and
 * compared in constant time ({@link MessageDigest#isEqual}), so how long a refusal takes says
 * nothing of how much of the token was right. {@code printf %s "$TOKEN" | sha256sum} gives the hex
 * to configure.
 */
@NamedInterface("tokens")
public final class TokenHash {

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private final byte[] sha256;

  private TokenHash(byte[] sha256) {
    this.sha256 = sha256;
  }

  /**
   * @param hex the token's SHA-256 as 64 hexadecimal digits
   * @throws IllegalArgumentException for anything else: a plain token pasted where its hash belongs
   *     must stop start-up, not become a token nobody can present
   */
  public static TokenHash ofHex(String hex) {
    if (hex == null || !HEX_SHA256.matcher(hex.strip()).matches()) {
      throw new IllegalArgumentException(
          "must be a token's SHA-256 as 64 hexadecimal digits (printf %s \"$TOKEN\" | sha256sum)");
    }
    return new TokenHash(HexFormat.of().parseHex(hex.strip().toLowerCase(Locale.ROOT)));
  }

  /** Whether {@code token} is the token whose hash this is; null and empty never are. */
  public boolean matches(String token) {
    if (token == null || token.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(sha256, sha256Of(token));
  }

  static byte[] sha256Of(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    // the hash is no secret, but nothing needs to print it
    return "TokenHash[sha256]";
  }
}
