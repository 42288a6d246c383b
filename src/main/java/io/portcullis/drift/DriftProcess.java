package io.portcullis.drift;

/**
 * The names that Java writes for {@code processes/drift-sweep.bpmn} and {@code
 * processes/drift-finding.bpmn} (docs/architecture.md, rule 16).
 */
public final class DriftProcess {

  public static final String KEY = "drift-sweep";
  public static final String START_SWEEP_DUE = "startEvent_sweepDue";
  public static final String GATEWAY_SWEEP_RUNNING = "gateway_sweepRunning";
  public static final String TASK_SWEEP_RESOURCE = "serviceTask_sweepResource";
  public static final String END_SWEEP_DONE = "endEvent_sweepDone";
  public static final String END_LEFT_TO_RUNNING = "endEvent_leftToRunningSweep";

  /** The multi-instance's element: the id of the resource one instance sweeps. */
  public static final String RESOURCE = "resource";

  /** A reported finding's task, one per resource and person while it is open. */
  public static final String FINDING_KEY = "drift-finding";

  public static final String TASK_REVIEW_FINDING = "userTask_reviewDriftFinding";

  /** Shown in the finding's task: who holds the resource (the business key is what counts). */
  public static final String PERSON = "person";

  public static final String SWEEP = "sweep";

  /** What the admin who closes a finding's task says they did. */
  public static final String COMMENT = "comment";

  private DriftProcess() {}
}
