package io.portcullis.security;

import org.springframework.modulith.NamedInterface;

/**
 * A process that every authenticated person may start (through Tasklist or the engine's REST API):
 * a feature declares it as a bean, and the engine's authorizations grant it. The process itself
 * checks who starts it and with what.
 */
@NamedInterface("doors")
public record StartableProcess(String key) {}
