package io.portcullis.credential;

import io.portcullis.web.PublicUrl;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a resource server finds without asking anyone: the keys that verify access tokens ({@code
 * /.well-known/jwks.json}, RFC 7517) and where the OAuth endpoints are ({@code
 * /.well-known/oauth-authorization-server}, RFC 8414). Public, and cacheable for five minutes: a
 * rotation publishes the next key as {@code previous} first, so a cache that is five minutes behind
 * still verifies every token (README, "JWTs").
 */
@RestController
class DiscoveryController {

  static final String JWKS = "/.well-known/jwks.json";
  static final String METADATA = "/.well-known/oauth-authorization-server";
  static final Duration CACHE = Duration.ofMinutes(5);

  private final SigningKeys keys;
  private final PublicUrl publicUrl;

  DiscoveryController(SigningKeys keys, PublicUrl publicUrl) {
    this.keys = keys;
    this.publicUrl = publicUrl;
  }

  @GetMapping(path = JWKS, produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> jwks() {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(CACHE).cachePublic())
        .body(keys.publicKeys().toJSONObject(true));
  }

  @GetMapping(path = METADATA, produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> metadata() {
    String issuer = publicUrl.origin();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("issuer", issuer);
    body.put("token_endpoint", issuer + OAuthSecurity.ROOT + "/token");
    body.put("introspection_endpoint", issuer + OAuthSecurity.ROOT + "/introspect");
    body.put("revocation_endpoint", issuer + OAuthSecurity.ROOT + "/revoke");
    body.put("jwks_uri", issuer + JWKS);
    body.put("grant_types_supported", List.of("refresh_token"));
    body.put("token_endpoint_auth_methods_supported", List.of("none"));
    body.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic"));
    body.put("revocation_endpoint_auth_methods_supported", List.of("none"));
    body.put("response_types_supported", List.of());
    return ResponseEntity.ok().cacheControl(CacheControl.maxAge(CACHE).cachePublic()).body(body);
  }
}
