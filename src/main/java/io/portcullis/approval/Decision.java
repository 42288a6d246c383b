package io.portcullis.approval;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.Username;
import java.time.Instant;
import org.springframework.modulith.NamedInterface;

/**
 * One approver's decision in one stage of a request.
 *
 * @param stage the stage's position in the chain, from 1
 * @param duration for an approval, the shorter duration the approver allowed; null: as asked
 * @param onBehalfOf for a delegate's decision, the approver whose decision it is (the delegator);
 *     null for a decision in one's own right
 */
@NamedInterface("chains")
public record Decision(
    int stage,
    Username approver,
    Verdict decision,
    String comment,
    AccessDuration duration,
    Instant at,
    Username onBehalfOf) {

  /** The longest comment on a decision, at every door. */
  public static final int MAX_COMMENT = 1000;

  @NamedInterface("chains")
  public enum Verdict {
    APPROVE,
    DENY
  }

  /** Whether this decision is this person's: made by them, or by their delegate for them. */
  public boolean by(Username person) {
    return person.sameAs(approver) || (onBehalfOf != null && person.sameAs(onBehalfOf));
  }

  public boolean approves() {
    return decision == Verdict.APPROVE;
  }
}
