package io.portcullis.approval;

/** The names that Java shares with processes/delegation.bpmn. */
final class DelegationProcess {

  static final String KEY = "delegation";

  /** When the delegation starts, a date: the timer "Its start reached". */
  static final String FROM = "from";

  /** When it ends, a date: the timer "Its end reached". */
  static final String UNTIL = "until";

  private DelegationProcess() {}
}
