/**
 * Cross-cutting HTTP plumbing: problem details, strict JSON bodies, free text, the public URL, the
 * caller's network address, the status of each rule answer, the OpenAPI document. Uses no feature;
 * its API is its base package.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(allowedDependencies = {"kernel"})
package io.portcullis.web;

import org.springframework.modulith.ApplicationModule;
