package io.portcullis.approval;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.util.Set;
import org.springframework.modulith.NamedInterface;

/**
 * What the approval policy decides on, given by the request module when a request opens: the policy's
 * inputs (docs/approval-policy.md), and what the stages' guard needs to know later.
 *
 * @param requesterGroups the requester's groups as the directory gave them at login
 * @param kind {@code access} (later also {@code extension} and {@code break-glass})
 */
@NamedInterface("chains")
public record ApprovalSubject(RequestId requestId, String processInstanceId, Username requester, Set<String> requesterGroups,
    ResourceId resource, String environment, String risk, AccessDuration duration, String kind) {

  public ApprovalSubject {
    requesterGroups = Set.copyOf(requesterGroups);
  }
}
