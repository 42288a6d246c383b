package io.portcullis.request;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import java.time.Instant;
import java.util.List;
import org.springframework.modulith.NamedInterface;

/**
 * An access request as the read model keeps it. What was decided (requester, resource, target,
 * duration) is written once, when the request is opened, and never changes afterwards. Who decides,
 * and what they decided, is approval's: {@code io.portcullis.approval.ApprovalChains}. Made with
 * {@link #builder()}, field by field by name.
 *
 * @param duration how long the access was asked for: the one record of it (approval's chain reads
 *     it from here)
 * @param expiresAt when the access ends: the approved duration counted from {@code
 *     grantAttemptedAt} (from {@code startAt} when the attempt came after it), so set (on a PENDING
 *     request too) from the moment a grant may reach the target
 * @param endedBy who ended it: a person, {@code system}, or an offboarding ({@code
 *     offboarding:<id>})
 * @param grantAttemptedAt when the grant was first set on its way to the target, committed before
 *     its first connector call; null while nothing can have reached the target. A request with it
 *     set may hold the access whatever its status says, until a revoke is confirmed
 *     (docs/architecture.md, rule 13)
 * @param clientAddress the network address the request was made from; null when no HTTP call opened
 *     it
 * @param flags what looked unusual when it opened ({@link UnusualAccess}), written once; empty for
 *     nothing
 * @param startAt when the access is to start, as asked and written once; null: on approval. The
 *     approved duration counts from it
 * @param extendsId the request whose live grant this one extends; null for a request of access
 * @param bundle the catalog's bundle the request named; null when it named its resources
 * @param failedResource the resource whose grant ran out of retries, which ended the request FAILED
 *     with the others revoked; null otherwise
 */
@NamedInterface({"leavers", "holders", "grants"})
public record AccessRequest(
    RequestId id,
    String processInstanceId,
    Username requester,
    ResourceId resource,
    ConnectorName connector,
    Target target,
    AccessDuration duration,
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
    Instant grantAttemptedAt,
    String clientAddress,
    List<UnusualAccess.Flag> flags,
    Instant startAt,
    RequestId extendsId,
    String bundle,
    ResourceId failedResource) {

  public AccessRequest {
    flags = flags == null ? List.of() : List.copyOf(flags);
  }

  /**
   * This request as it concerns one of its resources (of several: {@link
   * AccessRequestRepository#partsOf}): the same request, with that resource's access and
   * standing-access answer, for the steps that grant, check or revoke one access.
   */
  AccessRequest part(
      ResourceId resource, ConnectorName connector, Target target, boolean preexisted) {
    return new AccessRequest(
        id,
        processInstanceId,
        requester,
        resource,
        connector,
        target,
        duration,
        justification,
        ticket,
        status,
        requestedAt,
        grantedAt,
        expiresAt,
        endedAt,
        endedBy,
        endReason,
        preexisted,
        grantAttemptedAt,
        clientAddress,
        flags,
        startAt,
        extendsId,
        bundle,
        failedResource);
  }

  /**
   * Whether a grant was attempted and not confirmed: the target may hold the access although it is
   * not ACTIVE. Never for a request that ended (a request for several that ended FAILED had every
   * resource revoked and read back).
   */
  public boolean grantUnconfirmed() {
    return grantAttemptedAt != null
        && endedAt == null
        && (status == RequestStatus.PENDING || status == RequestStatus.FAILED);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A request, field by field; what is not set is null (false for {@code accessPreexisted}). */
  public static final class Builder {

    private RequestId id;
    private String processInstanceId;
    private Username requester;
    private ResourceId resource;
    private ConnectorName connector;
    private Target target;
    private AccessDuration duration;
    private String justification;
    private String ticket;
    private RequestStatus status;
    private Instant requestedAt;
    private Instant grantedAt;
    private Instant expiresAt;
    private Instant endedAt;
    private String endedBy;
    private String endReason;
    private boolean accessPreexisted;
    private Instant grantAttemptedAt;
    private String clientAddress;
    private List<UnusualAccess.Flag> flags;
    private Instant startAt;
    private RequestId extendsId;
    private String bundle;
    private ResourceId failedResource;

    private Builder() {}

    public Builder id(RequestId id) {
      this.id = id;
      return this;
    }

    public Builder processInstanceId(String processInstanceId) {
      this.processInstanceId = processInstanceId;
      return this;
    }

    public Builder requester(Username requester) {
      this.requester = requester;
      return this;
    }

    /** What is asked for: the resource, and the connector and target that grant it. */
    public Builder access(ResourceId resource, ConnectorName connector, Target target) {
      this.resource = resource;
      this.connector = connector;
      this.target = target;
      return this;
    }

    public Builder duration(AccessDuration duration) {
      this.duration = duration;
      return this;
    }

    public Builder justification(String justification) {
      this.justification = justification;
      return this;
    }

    public Builder ticket(String ticket) {
      this.ticket = ticket;
      return this;
    }

    public Builder status(RequestStatus status) {
      this.status = status;
      return this;
    }

    public Builder requestedAt(Instant requestedAt) {
      this.requestedAt = requestedAt;
      return this;
    }

    public Builder grantedAt(Instant grantedAt) {
      this.grantedAt = grantedAt;
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** How it ended: when, by whom, why. */
    public Builder ended(Instant endedAt, String endedBy, String endReason) {
      this.endedAt = endedAt;
      this.endedBy = endedBy;
      this.endReason = endReason;
      return this;
    }

    public Builder accessPreexisted(boolean accessPreexisted) {
      this.accessPreexisted = accessPreexisted;
      return this;
    }

    public Builder grantAttemptedAt(Instant grantAttemptedAt) {
      this.grantAttemptedAt = grantAttemptedAt;
      return this;
    }

    public Builder clientAddress(String clientAddress) {
      this.clientAddress = clientAddress;
      return this;
    }

    public Builder flags(List<UnusualAccess.Flag> flags) {
      this.flags = flags;
      return this;
    }

    public Builder startAt(Instant startAt) {
      this.startAt = startAt;
      return this;
    }

    public Builder extendsId(RequestId extendsId) {
      this.extendsId = extendsId;
      return this;
    }

    public Builder bundle(String bundle) {
      this.bundle = bundle;
      return this;
    }

    public Builder failedResource(ResourceId failedResource) {
      this.failedResource = failedResource;
      return this;
    }

    public AccessRequest build() {
      return new AccessRequest(
          id,
          processInstanceId,
          requester,
          resource,
          connector,
          target,
          duration,
          justification,
          ticket,
          status,
          requestedAt,
          grantedAt,
          expiresAt,
          endedAt,
          endedBy,
          endReason,
          accessPreexisted,
          grantAttemptedAt,
          clientAddress,
          flags,
          startAt,
          extendsId,
          bundle,
          failedResource);
    }
  }
}
