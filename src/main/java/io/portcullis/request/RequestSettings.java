package io.portcullis.request;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bounds on access requests, under {@code portcullis.requests}.
 *
 * @param justificationMaxLength the longest justification accepted, in characters
 * @param maxPending the most requests one person may have waiting ({@code PENDING}) at once, for
 *     all resources together (20 unless set): more would let one person fill every approver's queue
 * @param maxPendingPerResource the most of those for one resource (3 unless set)
 * @param maxStartOffset how far ahead a scheduled start ({@code startAt}) may be (P30D unless set):
 *     an approval is for work that is planned, not for a standing grant months away
 * @param maxResources the most resources one request may name ({@code resources}, or a bundle's),
 *     10 unless set: one chain decides them all, and an approver must be able to read the list
 */
@ConfigurationProperties("portcullis.requests")
public record RequestSettings(
    Integer justificationMaxLength,
    Integer maxPending,
    Integer maxPendingPerResource,
    Duration maxStartOffset,
    Integer maxResources) {

  public RequestSettings {
    justificationMaxLength = justificationMaxLength == null ? 1000 : justificationMaxLength;
    maxPending = maxPending == null ? 20 : maxPending;
    maxPendingPerResource = maxPendingPerResource == null ? 3 : maxPendingPerResource;
    maxStartOffset = maxStartOffset == null ? Duration.ofDays(30) : maxStartOffset;
    maxResources = maxResources == null ? 10 : maxResources;
    if (maxResources < 1) {
      throw new IllegalArgumentException("portcullis.requests.max-resources must be at least 1");
    }
    if (maxStartOffset.isNegative() || maxStartOffset.isZero()) {
      throw new IllegalArgumentException(
          "portcullis.requests.max-start-offset must be a positive duration, such as P30D");
    }
    if (maxPending < 1 || maxPendingPerResource < 1) {
      throw new IllegalArgumentException(
          "portcullis.requests.max-pending and max-pending-per-resource must be at least 1");
    }
    if (maxPendingPerResource > maxPending) {
      throw new IllegalArgumentException(
          "portcullis.requests.max-pending-per-resource ("
              + maxPendingPerResource
              + ") must not be more than max-pending ("
              + maxPending
              + ")");
    }
  }
}
