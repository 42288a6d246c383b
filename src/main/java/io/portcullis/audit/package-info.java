/**
 * The append-only audit trail: entries in the step's transaction, the sealer's hash chain, signed
 * checkpoints, verification, search, export and retention. Offers every module the trail ({@code
 * audit :: trail}) and {@code operations} its settings ({@code audit :: settings}).
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(allowedDependencies = {"kernel"})
package io.portcullis.audit;

import org.springframework.modulith.ApplicationModule;
