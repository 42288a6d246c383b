package io.portcullis.approval;

import org.springframework.stereotype.Component;

/** What approval tells people: a task waits, a stage is overdue. */
@Component
class ApprovalNotices {

  /** A stage's task waits for its approvers. */
  void waiting(Chain chain, Stage stage) {
    // wired to the notification module when it lands
  }

  /** A stage is overdue: its approvers and its escalation group are reminded. */
  void reminded(Chain chain, Stage stage) {
    // wired to the notification module when it lands
  }
}
