/**
 * Authentication (one login for every door), roles, the engine's authorizations and doors, what a
 * deployed model may reach, the engine's error answers. Cross-cutting: it uses no feature, and
 * features contribute to it. Offers {@code security :: identity} (acting as the caller in the
 * engine, the role groups), {@code security :: doors} (a process anyone may start, what a task
 * completion submitted) and {@code security :: tokens} (a bearer token's hash and login, for SCIM).
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(
    allowedDependencies = {"audit :: trail", "connector", "directory", "kernel", "web"})
package io.portcullis.security;

import org.springframework.modulith.ApplicationModule;
