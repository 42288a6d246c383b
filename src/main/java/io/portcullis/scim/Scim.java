package io.portcullis.scim;

import org.springframework.http.MediaType;

/** SCIM 2.0's names (RFC 7643, RFC 7644) and where the door is. */
final class Scim {

  /** Everything under here is the SCIM door: the bearer token, SCIM's errors. */
  static final String ROOT = "/scim";

  static final String BASE = ROOT + "/v2";

  static final String MEDIA_TYPE_VALUE = "application/scim+json";
  static final MediaType MEDIA_TYPE = MediaType.parseMediaType(MEDIA_TYPE_VALUE);

  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
  static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
  static final String SERVICE_PROVIDER_CONFIG =
      "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

  private Scim() {}

  /** Whether a request URI, as sent, is under the SCIM door. */
  static boolean covers(String requestUri) {
    return requestUri != null
        && (requestUri.equals(ROOT)
            || requestUri.startsWith(ROOT + "/")
            || requestUri.startsWith(ROOT + ";"));
  }
}
