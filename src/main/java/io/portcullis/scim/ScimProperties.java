package io.portcullis.scim;

import io.portcullis.kernel.Username;
import io.portcullis.security.TokenHash;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The SCIM client (the identity provider), under {@code portcullis.scim}.
 *
 * @param tokenSha256 the SHA-256 of its bearer token, as 64 hex digits ({@code printf %s "$TOKEN" |
 *     sha256sum}); never the token itself. Unset, the SCIM door refuses every request: it is opened
 *     by configuring it, never by default
 * @param clientName who the client is in the audit trail and as the requester of the offboardings
 *     it starts (default {@code scim})
 */
@Validated
@ConfigurationProperties("portcullis.scim")
record ScimProperties(String tokenSha256, @Pattern(regexp = Username.PATTERN) String clientName) {

  ScimProperties {
    tokenSha256 = tokenSha256 == null || tokenSha256.isBlank() ? null : tokenSha256;
    clientName = clientName == null || clientName.isBlank() ? "scim" : clientName;
    if (tokenSha256 != null) {
      try {
        TokenHash.ofHex(tokenSha256);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("portcullis.scim.token-sha256 " + e.getMessage());
      }
    }
  }

  /** The token's hash, or null when the door is closed. */
  TokenHash token() {
    return tokenSha256 == null ? null : TokenHash.ofHex(tokenSha256);
  }
}
