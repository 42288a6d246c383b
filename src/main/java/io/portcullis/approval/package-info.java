/**
 * Who decides a request: the approval policy (DMN {@code approvalPolicy}), the chain of stages with
 * its quorum and decisions, separation of duties, the guard on every task completion, {@code GET
 * /api/approvals}, delegation ({@code /api/delegations}). Offers {@code request} its chains ({@code
 * approval :: chains}: open, read, decide); the rest is its own.
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(
    allowedDependencies = {
      "audit :: trail",
      "catalog :: resources",
      "directory",
      "jobs :: tables",
      "kernel",
      "notification",
      "security :: doors",
      "security :: identity",
      "web"
    })
package io.portcullis.approval;

import org.springframework.modulith.ApplicationModule;
