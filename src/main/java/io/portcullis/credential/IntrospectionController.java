package io.portcullis.credential;

import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /oauth2/introspect} (RFC 7662), for resource servers ({@link OAuthSecurity}). */
@RestController
class IntrospectionController {

  private final Introspection introspection;

  IntrospectionController(Introspection introspection) {
    this.introspection = introspection;
  }

  @PostMapping(
      path = OAuthSecurity.ROOT + "/introspect",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> introspect(
      @RequestParam(name = "token", required = false) String token) {
    if (token == null || token.isBlank()) {
      return ResponseEntity.badRequest()
          .cacheControl(CacheControl.noStore())
          .body(Map.of("error", "invalid_request"));
    }
    // an answer about a live credential must not be kept by a cache on the way (RFC 7662 section 4)
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(introspection.of(token.strip()));
  }
}
