/**
 * Access reviews (issue 30, item 3): a campaign per resource lists the holders of its sanctioned
 * standing access, the resource's owner group keeps or removes each, and the deadline does what the
 * catalog says with a holder nobody decided on. {@code processes/access-review.bpmn} (a campaign)
 * and {@code processes/access-review-schedule.bpmn} (starts the campaigns that are due), {@code
 * /api/access-reviews}.
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
      "drift :: sanctioned",
      "kernel",
      "notification",
      "security :: doors",
      "security :: identity",
      "web"
    })
package io.portcullis.review;

import org.springframework.modulith.ApplicationModule;
