package io.portcullis.scim;

import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What this SCIM service provider is (RFC 7643 §5), for identity providers that ask before they
 * send, and a plain 501 for the parts of SCIM it does not do: groups, bulk, {@code /Me}, searches
 * by POST, and schema discovery (the User schema is the core one, unextended).
 */
@RestController
@RequestMapping(Scim.BASE)
class ScimServiceController {

  @GetMapping("/ServiceProviderConfig")
  ResponseEntity<Map<String, Object>> serviceProviderConfig() {
    Map<String, Object> unsupported = Map.of("supported", false);
    return ResponseEntity.ok()
        .contentType(Scim.MEDIA_TYPE)
        .body(
            Map.of(
                "schemas", List.of(Scim.SERVICE_PROVIDER_CONFIG),
                "patch", Map.of("supported", true),
                "bulk", Map.of("supported", false, "maxOperations", 0, "maxPayloadSize", 0),
                "filter", Map.of("supported", true, "maxResults", ScimUsersController.MAX_COUNT),
                "changePassword", unsupported,
                "sort", unsupported,
                "etag", unsupported,
                "authenticationSchemes",
                    List.of(
                        Map.of(
                            "type", "oauthbearertoken",
                            "name", "Bearer token",
                            "description",
                                "Authorization: Bearer with the token whose SHA-256 is portcullis.scim.token-sha256",
                            "primary", true)),
                "meta", Map.of("resourceType", "ServiceProviderConfig")));
  }

  @RequestMapping({
    "/Groups",
    "/Groups/**",
    "/Bulk",
    "/Me",
    "/Me/**",
    "/.search",
    "/Users/.search",
    "/Schemas",
    "/Schemas/**",
    "/ResourceTypes",
    "/ResourceTypes/**"
  })
  ResponseEntity<Void> notDone() {
    throw ScimException.notImplemented(
        "Portcullis' SCIM door reads Users and deactivates them; it does not do this.");
  }
}
