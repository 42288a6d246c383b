package io.portcullis.drift;

/**
 * The names that Java writes for {@code processes/drift-sweep.bpmn} (docs/architecture.md, rule
 * 16).
 */
public final class DriftProcess {

  public static final String KEY = "drift-sweep";
  public static final String START_SWEEP_DUE = "startEvent_sweepDue";
  public static final String TASK_SWEEP_RESOURCE = "serviceTask_sweepResource";

  /** The multi-instance's element: the id of the resource one instance sweeps. */
  public static final String RESOURCE = "resource";

  private DriftProcess() {}
}
