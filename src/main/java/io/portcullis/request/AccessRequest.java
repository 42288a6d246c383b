package io.portcullis.request;

import java.time.Duration;
import java.time.Instant;

/**
 * An access request as the read model keeps it. What was decided (requester, resource, target,
 * duration) is written once, when the request is opened, and never changes afterwards. Who decides, and
 * what they decided, is approval's: {@code io.portcullis.approval.ApprovalChains}.
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
    boolean accessPreexisted) {

  /** A request's id, in URLs and as its process instance's business key. */
  public static final String ID_PATTERN = "[A-Za-z0-9-]{1,64}";
}
