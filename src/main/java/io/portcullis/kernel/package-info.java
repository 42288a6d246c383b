/**
 * The shared kernel: the values every module speaks in, each with its one canonical form and its
 * one rule ({@link io.portcullis.kernel.Username}, {@link io.portcullis.kernel.AccessDuration}, the
 * ids, a connector's {@link io.portcullis.kernel.Target}), and the domain's errors, which say which
 * field or rule they name and nothing of HTTP ({@link io.portcullis.kernel.InvalidInputException},
 * {@link io.portcullis.kernel.RefusedException}, ...). Only the doors' edges ({@code web}'s advice,
 * SCIM's error advice, the engine REST mapper) turn an error into a status. Two more that every
 * door and feature reads and none may own alone: who is calling ({@link
 * io.portcullis.kernel.Caller}, made by {@code security} at login) and who is leaving ({@link
 * io.portcullis.kernel.LeavingPeople}, answered by {@code offboarding}, asked by {@code security}
 * and {@code request}).
 *
 * <p>A shared module ({@code @Modulithic(sharedModules = "kernel")} on the application): every
 * module may use it, and it uses none of them.
 */
@ApplicationModule(
    displayName = "Kernel",
    allowedDependencies = {})
package io.portcullis.kernel;

import org.springframework.modulith.ApplicationModule;
