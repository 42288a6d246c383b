package io.portcullis.security;

import io.portcullis.kernel.Username;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * System clients that log into {@code /api} with a bearer token instead of a password, under {@code
 * portcullis.service-accounts.<name>}: an HR system, a pipeline. A password door can be slowed by
 * anyone who fails at it; a token is checked before the throttle is asked, so no stranger can keep
 * these clients out. The name is the account's login name in the directory, where its groups (and
 * so its role) come from, as for its password; none is configured by default.
 *
 * @param serviceAccounts each account's {@code token-sha256}: its bearer token's SHA-256 as 64 hex
 *     digits ({@code printf %s "$TOKEN" | sha256sum}), never the token; from the environment
 */
@ConfigurationProperties("portcullis")
record ServiceAccountProperties(Map<String, ServiceAccount> serviceAccounts) {

  private static final Pattern NAME = Pattern.compile(Username.PATTERN);

  /**
   * @param tokenSha256 the account's token, as its SHA-256 in hex
   */
  record ServiceAccount(String tokenSha256) {}

  ServiceAccountProperties {
    serviceAccounts = serviceAccounts == null ? Map.of() : Map.copyOf(serviceAccounts);
    Set<String> hashes = new HashSet<>();
    for (Map.Entry<String, ServiceAccount> account : new TreeMap<>(serviceAccounts).entrySet()) {
      String setting = "portcullis.service-accounts." + account.getKey();
      if (!NAME.matcher(account.getKey()).matches()) {
        throw new IllegalArgumentException(
            setting + ": the name must be a login name of the directory");
      }
      String hex = account.getValue() == null ? null : account.getValue().tokenSha256();
      if (hex == null || hex.isBlank()) {
        throw new IllegalArgumentException(
            setting + ".token-sha256 is required: the SHA-256 of the account's bearer token");
      }
      try {
        TokenHash.ofHex(hex);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(setting + ".token-sha256 " + e.getMessage());
      }
      if (!hashes.add(hex.strip().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            setting
                + ".token-sha256 is another account's too: each account needs a token of its own");
      }
    }
  }

  /** Each account's token, by the account's name. */
  Map<String, TokenHash> tokens() {
    Map<String, TokenHash> tokens = new LinkedHashMap<>();
    serviceAccounts.forEach(
        (name, account) -> tokens.put(name, TokenHash.ofHex(account.tokenSha256())));
    return Map.copyOf(tokens);
  }
}
