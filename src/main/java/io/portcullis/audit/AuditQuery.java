package io.portcullis.audit;

import java.time.Instant;
import org.springframework.modulith.NamedInterface;

/**
 * Filters of a search of the trail; null means any.
 *
 * @param from events at or after this instant
 * @param to events before this instant
 */
@NamedInterface("trail")
public record AuditQuery(
    Instant from,
    Instant to,
    String subject,
    String actor,
    String resource,
    String action,
    String requestId) {}
