package io.portcullis.request;

import io.portcullis.kernel.Caller;
import io.portcullis.kernel.RequestId;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * What a module that hands something out for a grant (the {@code credential} module) asks of a
 * request: whose it is, and whether it still lives. The rules of who may see a request stay {@link
 * AccessRequestService}'s.
 */
@NamedInterface("holders")
@Component
public class HeldAccess {

  private final AccessRequestService service;
  private final AccessRequestRepository requests;

  HeldAccess(AccessRequestService service, AccessRequestRepository requests) {
    this.service = service;
    this.requests = requests;
  }

  /**
   * The caller's own ACTIVE request: 404 ({@code NotFoundException}) when they may not see it, 403
   * ({@code RefusedException}, audited) when it is not theirs, 409 ({@code ConflictException}) when
   * not ACTIVE.
   *
   * @param attempted what the caller tries, in words ("take its credential"), for the refusal and
   *     the audit trail
   */
  public AccessRequest ownActive(Caller caller, RequestId id, String attempted) {
    return service.heldBy(caller, id, attempted);
  }

  /**
   * Whether the request's grant lives: ACTIVE in the read model. The revoke step marks it ended in
   * its own transaction, so whatever asks this sees the end as that transaction commits.
   */
  public boolean live(RequestId id) {
    return requests.find(id).map(r -> r.status() == RequestStatus.ACTIVE).orElse(false);
  }
}
