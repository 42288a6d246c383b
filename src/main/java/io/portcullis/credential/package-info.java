/**
 * Credentials as access (issue 28): a connector type whose grant hands out a secret instead of
 * changing a group ({@code api-key}), the one-time hand-out to the requester ({@code POST
 * /api/access-requests/{id}/credential}), and the endpoints a resource server asks ({@code POST
 * /oauth2/introspect}, RFC 7662). A credential lives while its request is ACTIVE: the request's own
 * revoke step (expiry, revoke, offboarding) ends it in its transaction. Stored as hashes only.
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
