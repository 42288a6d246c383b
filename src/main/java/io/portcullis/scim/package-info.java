/**
 * The SCIM 2.0 door ({@code /scim/v2}): the identity provider's bearer token, reading people,
 * deactivation as an offboarding ask, SCIM's own errors. Offers nothing.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(
    allowedDependencies = {
      "connector",
      "directory",
      "kernel",
      "offboarding :: asks",
      "security :: tokens",
      "web"
    })
package io.portcullis.scim;

import org.springframework.modulith.ApplicationModule;
