package io.portcullis.approval;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.modulith.NamedInterface;

/**
 * What the approval policy decides on, given by the request module when a request opens: the
 * policy's inputs (docs/approval-policy.md), and what the stages' guard needs to know later.
 *
 * @param requesterGroups the requester's groups as the directory gave them at login
 * @param kind {@code access} (later also {@code extension} and {@code break-glass})
 * @param totalDuration for an extension, the grant's time with the extension asked (the policy's
 *     {@code totalDurationMinutes}); for a request of access, its duration
 * @param flags the names of the request's unusual-access flags (the request module's {@code
 *     UnusualAccess}), empty for none: the policy's inputs {@code flagged} and {@code flags}
 */
@NamedInterface("chains")
public record ApprovalSubject(
    RequestId requestId,
    String processInstanceId,
    Username requester,
    Set<String> requesterGroups,
    ResourceId resource,
    String environment,
    String risk,
    AccessDuration duration,
    String kind,
    List<String> flags,
    Duration totalDuration) {

  public ApprovalSubject {
    requesterGroups = Set.copyOf(requesterGroups);
    flags = flags == null ? List.of() : List.copyOf(flags);
    totalDuration = totalDuration == null ? duration.value() : totalDuration;
  }
}
