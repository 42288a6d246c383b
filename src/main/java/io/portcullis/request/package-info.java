/**
 * A request's life: {@code /api/access-requests}, the read model, the rules of a new request, the
 * steps of {@code processes/jit-access.bpmn} and {@code processes/access-revocation.bpmn},
 * Tasklist's start form. Offers one interface, to {@code offboarding} alone: what a leaver's
 * requests are and how they end ({@code request :: leavers}: {@link
 * io.portcullis.request.AccessOfLeavers} and the values it answers with).
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(
    allowedDependencies = {
      "approval :: chains",
      "audit :: trail",
      "catalog :: resources",
      "connector",
      "jobs :: history",
      "kernel",
      "notification",
      "security :: doors",
      "security :: identity",
      "web"
    })
package io.portcullis.request;

import org.springframework.modulith.ApplicationModule;
