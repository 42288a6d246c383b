package io.portcullis.approval;

import io.portcullis.kernel.Caller;
import io.portcullis.kernel.RefusedException;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Who may delegate (issue 29): someone who may approve something, that is a member of a group that
 * the approval policy names as a stage's approver or escalation group. Anyone else has nothing to
 * hand on, and a delegation from them would only make a delegate look like an approver.
 */
@Component
class Delegators {

  static final String RULE =
      "only an approver delegates: the caller is in no group that the approval policy names as a"
          + " stage's approver or escalation group";

  private final ApprovalChains chains;

  Delegators(ApprovalChains chains) {
    this.chains = chains;
  }

  /** Refuses (403 naming the rule) a caller in none of the policy's approver groups. */
  void check(Caller caller) {
    Set<String> approvers = chains.approverGroups();
    if (caller.groups().stream().noneMatch(approvers::contains)) {
      throw new RefusedException(RULE);
    }
  }
}
