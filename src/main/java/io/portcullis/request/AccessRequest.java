package io.portcullis.request;

import java.time.Duration;
import java.time.Instant;

/**
 * An access request as the read model keeps it. What was decided (requester, resource, target,
 * duration) is written once, when the request is opened, and never changes afterwards. Who decides, and
 * what they decided, is approval's: {@code io.portcullis.approval.ApprovalChains}.
 *
 * @param expiresAt when the access ends: the approved duration counted from {@code grantAttemptedAt}, so
 *     set (on a PENDING request too) from the moment a grant may reach the target
 * @param grantAttemptedAt when the grant was first set on its way to the target, committed before its first
 *     connector call; null while nothing can have reached the target. A request with it set may hold the
 *     access whatever its status says, until a revoke is confirmed (docs/architecture.md, rule 13)
 */
public record AccessRequest(
    String id,
    String processInstanceId,
    String requester,
    String resource,
    String connector,
    String target,
    Duration duration,
    String justification,
    String ticket,
    RequestStatus status,
    Instant requestedAt,
    Instant grantedAt,
    Instant expiresAt,
    Instant endedAt,
    String endedBy,
    String endReason,
    boolean accessPreexisted,
    Instant grantAttemptedAt) {

  /** A request's id, in URLs and as its process instance's business key. */
  public static final String ID_PATTERN = "[A-Za-z0-9-]{1,64}";

  /** Whether a grant was attempted and not confirmed: the target may hold the access although it is not ACTIVE. */
  public boolean grantUnconfirmed() {
    return grantAttemptedAt != null && (status == RequestStatus.PENDING || status == RequestStatus.FAILED);
  }
}
