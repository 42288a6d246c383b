package io.portcullis.review;

import io.portcullis.catalog.OnUnreviewed;
import io.portcullis.kernel.ResourceId;
import java.time.Instant;

/**
 * One access review of one resource, as stored: its owner group and what to do with a holder nobody
 * decided on are the catalog's when it started.
 */
record Campaign(
    String id,
    ResourceId resource,
    String ownerGroup,
    OnUnreviewed onUnreviewed,
    String status,
    String startedBy,
    Instant startedAt,
    Instant deadline,
    Instant closedAt,
    String processInstanceId) {

  static final String OPEN = "OPEN";
  static final String CLOSED = "CLOSED";
}
