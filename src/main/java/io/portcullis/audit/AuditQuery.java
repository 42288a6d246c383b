package io.portcullis.audit;

import java.time.Instant;

/**
 * Filters of a search of the trail; null means any.
 *
 * @param from events at or after this instant
 * @param to events before this instant
 */
public record AuditQuery(
    Instant from,
    Instant to,
    String subject,
    String actor,
    String resource,
    String action,
    String requestId) {}
