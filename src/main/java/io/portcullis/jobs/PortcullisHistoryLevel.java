package io.portcullis.jobs;

import java.util.EnumSet;
import java.util.Set;
import org.camunda.bpm.engine.ActivityTypes;
import org.camunda.bpm.engine.impl.bpmn.helper.BpmnProperties;
import org.camunda.bpm.engine.impl.history.AbstractHistoryLevel;
import org.camunda.bpm.engine.impl.history.event.HistoryEventType;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.pvm.runtime.PvmExecutionImpl;

/**
 * The engine's history level of Portcullis ({@code camunda.bpm.history-level: portcullis}):
 * Camunda's {@code activity} level plus the two kinds of event that Portcullis itself reads. {@code
 * full} cost a quarter of the CPU of each request under load for rows that nothing reads (issue
 * 14).
 *
 * <p>Kept, and who reads them:
 *
 * <ul>
 *   <li>process instances: {@code request/InstanceDeletedByOperator} and {@code
 *       offboarding/SagaDeletedByOperator} learn from a process instance's end event that an
 *       operator deleted it; {@code operations/JobExecutorDrainTest} reads {@code act_hi_procinst};
 *   <li>activity instances: camunda-bpm-assert's {@code hasPassed} in the process tests, and the
 *       expiry benchmark, read historic activity instances; except those of exclusive gateways and
 *       start events, which a token passes without waiting ({@link #PASSED_THROUGH});
 *   <li>task instances (and the case instance events): what {@code activity} has, so that Cockpit
 *       and the engine's history API still show which tasks ran;
 *   <li>incidents, all five kinds: {@code request/StepFailuresAudited} audits an incident opened
 *       and resolved, {@code offboarding/SagaFailuresRecorded} records an incident opened in the
 *       evidence; update, migrate and delete too, so that the historic incident rows stay whole;
 *   <li>the job log of steps run: the same two read each failed attempt ({@code JOB_FAIL}, with the
 *       retries left); {@code docker/run-by-hand.sh} and {@code cluster/TwoNodesTest} count the
 *       steps run ({@code JOB_SUCCESS}), and by which node, in {@code act_hi_job_log}.
 * </ul>
 *
 * <p>Dropped, because nothing reads them: variable instances, updates and details, form properties,
 * decision (DMN) instances, identity links (Tasklist's candidate groups are read at run time only),
 * batches, the external task log and the user operation log; and the job log's creation and
 * deletion of a job ({@code JOB_CREATE}, {@code JOB_DELETE}), which nothing reads: each cost an
 * insert and a read of the job's definition, four of each in a request's grant (issue 31).
 * Portcullis' own audit trail, not Camunda's history, is the record of who asked, decided, granted
 * and revoked what (docs/architecture.md, "the rules of the house"); the engine's history is an
 * operator's aid.
 */
public final class PortcullisHistoryLevel extends AbstractHistoryLevel {

  /**
   * Not one of Camunda's (0 to 3): the value of {@code ACT_GE_PROPERTY} row {@code historyLevel}.
   */
  public static final int ID = 26;

  public static final String NAME = "portcullis";
  public static final PortcullisHistoryLevel INSTANCE = new PortcullisHistoryLevel();

  private static final Set<HistoryEventTypes> PRODUCED =
      EnumSet.of(
          // what HistoryLevelActivity produces
          HistoryEventTypes.PROCESS_INSTANCE_START,
          HistoryEventTypes.PROCESS_INSTANCE_UPDATE,
          HistoryEventTypes.PROCESS_INSTANCE_MIGRATE,
          HistoryEventTypes.PROCESS_INSTANCE_END,
          HistoryEventTypes.TASK_INSTANCE_CREATE,
          HistoryEventTypes.TASK_INSTANCE_UPDATE,
          HistoryEventTypes.TASK_INSTANCE_MIGRATE,
          HistoryEventTypes.TASK_INSTANCE_COMPLETE,
          HistoryEventTypes.TASK_INSTANCE_DELETE,
          HistoryEventTypes.ACTIVITY_INSTANCE_START,
          HistoryEventTypes.ACTIVITY_INSTANCE_UPDATE,
          HistoryEventTypes.ACTIVITY_INSTANCE_MIGRATE,
          HistoryEventTypes.ACTIVITY_INSTANCE_END,
          HistoryEventTypes.CASE_INSTANCE_CREATE,
          HistoryEventTypes.CASE_INSTANCE_UPDATE,
          HistoryEventTypes.CASE_INSTANCE_CLOSE,
          HistoryEventTypes.CASE_ACTIVITY_INSTANCE_CREATE,
          HistoryEventTypes.CASE_ACTIVITY_INSTANCE_UPDATE,
          HistoryEventTypes.CASE_ACTIVITY_INSTANCE_END,
          // incidents: StepFailuresAudited, SagaFailuresRecorded
          HistoryEventTypes.INCIDENT_CREATE,
          HistoryEventTypes.INCIDENT_UPDATE,
          HistoryEventTypes.INCIDENT_MIGRATE,
          HistoryEventTypes.INCIDENT_RESOLVE,
          HistoryEventTypes.INCIDENT_DELETE,
          // the job log of steps run: StepFailuresAudited, SagaFailuresRecorded, run-by-hand.sh,
          // TwoNodesTest
          HistoryEventTypes.JOB_FAIL,
          HistoryEventTypes.JOB_SUCCESS);

  /** The events of one activity instance, each asked with the execution at that activity. */
  private static final Set<HistoryEventTypes> OF_AN_ACTIVITY =
      EnumSet.of(
          HistoryEventTypes.ACTIVITY_INSTANCE_START,
          HistoryEventTypes.ACTIVITY_INSTANCE_UPDATE,
          HistoryEventTypes.ACTIVITY_INSTANCE_END);

  /**
   * Activities whose instances are not recorded: a token passes them without waiting, so the
   * activities after them tell the same path. A row each, twelve of a request's 315 statements
   * (issue 31).
   */
  private static final Set<String> PASSED_THROUGH =
      Set.of(ActivityTypes.GATEWAY_EXCLUSIVE, ActivityTypes.START_EVENT);

  private PortcullisHistoryLevel() {}

  @Override
  public int getId() {
    return ID;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean isHistoryEventProduced(HistoryEventType eventType, Object entity) {
    return eventType instanceof HistoryEventTypes type
        && PRODUCED.contains(type)
        && !(OF_AN_ACTIVITY.contains(type) && passedThrough(entity));
  }

  /**
   * Whether the execution is at an activity that a token only passes through, in the same
   * transaction as the activity before it: an exclusive gateway or a start event. Asked at run time
   * with the execution; at parse time (no execution) the answer is no, so that the engine still
   * listens to every activity.
   */
  private static boolean passedThrough(Object entity) {
    if (entity instanceof PvmExecutionImpl execution && execution.getActivity() != null) {
      String type = execution.getActivity().getProperties().get(BpmnProperties.TYPE);
      return PASSED_THROUGH.contains(type);
    }
    return false;
  }

  /**
   * Whether a {@code camunda.bpm.history-level} setting names this level (the engine ignores case).
   */
  public static boolean isNamedBy(String setting) {
    return setting != null && NAME.equalsIgnoreCase(setting.trim());
  }
}
