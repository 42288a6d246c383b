/**
 * The embedded demo directory (UnboundID, loopback only) and its banner; never in {@code prod}.
 * Uses and offers nothing: it is configuration that Spring Boot picks up.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(allowedDependencies = {})
package io.portcullis.demo;

import org.springframework.modulith.ApplicationModule;
