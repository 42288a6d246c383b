/**
 * Continuous assurance (issue 30): what is sanctioned to hold a resource (its catalog entry's
 * {@code standing} and every live grant) and the drift from it that a member listing shows.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(
    allowedDependencies = {
      "audit :: trail",
      "catalog :: resources",
      "connector",
      "directory",
      "kernel",
      "notification",
      "request :: grants",
      "security :: doors",
      "security :: identity",
      "web"
    })
package io.portcullis.drift;

import org.springframework.modulith.ApplicationModule;
