package io.portcullis.approval;

import java.time.Duration;
import java.util.Set;

/**
 * What the approval policy decides on, given by the request module when a request opens: the policy's
 * inputs (docs/approval-policy.md), and what the stages' guard needs to know later.
 *
 * @param requesterGroups the requester's groups as the directory gave them at login
 * @param kind {@code access} (later also {@code extension} and {@code break-glass})
 */
public record ApprovalSubject(String requestId, String processInstanceId, String requester, Set<String> requesterGroups,
    String resource, String environment, String risk, Duration duration, String kind) {

  public ApprovalSubject {
    requesterGroups = Set.copyOf(requesterGroups);
  }
}
