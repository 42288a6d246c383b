package io.portcullis.review;

import io.portcullis.kernel.Username;
import java.time.Instant;

/** One holder of a campaign: who, what the owners saw about them, and what was decided. */
record ReviewItem(
    String reviewId,
    int item,
    Username holder,
    String history,
    Outcome outcome,
    String decidedBy,
    Instant decidedAt,
    String comment,
    Instant revokedAt,
    String taskId) {}
