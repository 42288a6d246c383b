package io.portcullis.request;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An access request as the read model keeps it. What was decided (requester, resource, target,
 * duration) is written once, when the request is opened, and never changes afterwards.
 */
public record AccessRequest(
    String id,
    String processInstanceId,
    String requester,
    String resource,
    String connector,
    String target,
    String approverGroup,
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
    List<Decision> decisions) {

  public boolean isApproved() {
    return decisions.stream().anyMatch(d -> d.decision() == Decision.Verdict.APPROVE)
        && decisions.stream().noneMatch(d -> d.decision() == Decision.Verdict.DENY);
  }
}
