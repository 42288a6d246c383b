/**
 * Credentials as access (issue 28): connector types whose grant hands out a secret instead of
 * changing a group ({@code api-key}; {@code jwt-credential}, signed access tokens and rotated
 * refresh tokens), the one-time hand-out to the requester ({@code POST
 * /api/access-requests/{id}/credential}), the endpoints a resource server asks ({@code POST
 * /oauth2/introspect}, RFC 7662; {@code /.well-known/jwks.json} and the RFC 8414 metadata) and the
 * holder's ({@code POST /oauth2/token} for a refresh, {@code POST /oauth2/revoke}, RFC 7009). A
 * credential lives while its request is ACTIVE: the request's own revoke step (expiry, revoke,
 * offboarding) ends it in its transaction. Stored as hashes only.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(
    allowedDependencies = {
      "audit :: trail",
      "connector",
      "kernel",
      "request :: holders",
      "security :: tokens",
      "web"
    })
package io.portcullis.credential;

import org.springframework.modulith.ApplicationModule;
