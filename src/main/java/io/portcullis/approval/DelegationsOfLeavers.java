package io.portcullis.approval;

import io.portcullis.kernel.Username;
import java.util.List;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Service;

/**
 * What the offboarding asks of approval: end a leaver's delegations, those they gave and those they
 * received, so that nobody decides in a leaver's place and a leaver decides for nobody.
 */
@NamedInterface("leavers")
@Service
public class DelegationsOfLeavers {

  private final Delegations delegations;

  DelegationsOfLeavers(Delegations delegations) {
    this.delegations = delegations;
  }

  /**
   * Ends every delegation of this person that is not over, audited {@code delegation.ended} by
   * {@code actor} with {@code reason}.
   */
  public List<Ended> end(Username leaver, String actor, String reason) {
    return delegations.endAllOf(leaver, actor, reason).stream()
        .map(
            d ->
                new Ended(
                    d.id(),
                    d.delegator().sameAs(leaver) ? "given" : "received",
                    d.delegator().value() + " to " + d.delegate().value()))
        .toList();
  }

  /**
   * A delegation ended.
   *
   * @param way {@code given} by the leaver or {@code received} by them
   * @param who "delegator to delegate"
   */
  @NamedInterface("leavers")
  public record Ended(String id, String way, String who) {}
}
