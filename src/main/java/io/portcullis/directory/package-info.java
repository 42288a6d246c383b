/**
 * Where people and groups are ({@code portcullis.directory}): pooled connections with timeouts, a
 * person's groups with a short cache, the directory's health. Its API is its base package.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(allowedDependencies = {"kernel"})
package io.portcullis.directory;

import org.springframework.modulith.ApplicationModule;
