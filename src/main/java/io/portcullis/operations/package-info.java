/**
 * What the {@code prod} profile refuses to start on, the database roles of the migrations, draining
 * the job executor at shutdown. Offers nothing.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(allowedDependencies = {"audit :: settings"})
package io.portcullis.operations;

import org.springframework.modulith.ApplicationModule;
