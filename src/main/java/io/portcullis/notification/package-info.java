/**
 * Telling people: a notice is stored and {@code processes/notification.bpmn} sends it by e-mail and
 * webhook with retries. Its API is its base package ({@link
 * io.portcullis.notification.Notifications}, {@link io.portcullis.notification.Notice}).
 *
 * <p>Allowed dependencies: docs/architecture.md, "Modules" ({@code ModularityTests} fails on any
 * other).
 */
@ApplicationModule(allowedDependencies = {"audit :: trail", "directory", "kernel", "web"})
package io.portcullis.notification;

import org.springframework.modulith.ApplicationModule;
