/**
 * What can be requested: the resources of {@code portcullis.catalog}, their limits, {@code GET
 * /api/catalog}. Offers the catalog and its resources ({@code catalog :: resources}).
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(allowedDependencies = {"audit :: trail", "connector", "kernel"})
package io.portcullis.catalog;

import org.springframework.modulith.ApplicationModule;
