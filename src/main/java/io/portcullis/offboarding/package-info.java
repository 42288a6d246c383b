/**
 * The offboarding of a leaver: the HR API ({@code /api/offboardings}), the rules of an ask, the
 * saga's steps ({@code processes/offboarding.bpmn}), its evidence and report, who is frozen. Offers
 * SCIM the ask ({@code offboarding :: asks}); it answers the kernel's {@code LeavingPeople} as a
 * bean.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(
    allowedDependencies = {
      "approval :: leavers",
      "audit :: trail",
      "connector",
      "jobs :: history",
      "kernel",
      "request :: leavers",
      "security :: doors",
      "security :: identity",
      "web"
    })
package io.portcullis.offboarding;

import org.springframework.modulith.ApplicationModule;
