package io.portcullis.support.bpmn;

import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.ProcessEngines;
import org.operaton.bpm.engine.history.HistoricActivityInstance;
import org.operaton.bpm.engine.history.HistoricProcessInstance;
import org.operaton.bpm.engine.runtime.ProcessInstance;
import org.operaton.bpm.engine.task.Task;

/**
 * The Operaton build's stand-in for camunda-bpm-assert's {@code BpmnAwareTests} (its Operaton
 * counterpart, operaton-bpm-assert, is not served here): exactly the part Portcullis' process tests
 * use, on the engine's own API and AssertJ. The recipe (operaton/rewrite.yml) points the tests'
 * imports here; the Camunda build keeps camunda-bpm-assert. The assertions read what
 * camunda-bpm-assert reads: the active activity ids of the runtime, the finished activity instances
 * of history.
 */
public final class BpmnAwareTests {

  private static volatile ProcessEngine engine;

  private BpmnAwareTests() {}

  /** The engine the assertions ask (camunda-bpm-assert's {@code init}). */
  public static void init(ProcessEngine processEngine) {
    engine = processEngine;
  }

  static ProcessEngine engine() {
    ProcessEngine current = engine;
    if (current == null) {
      current = ProcessEngines.getDefaultProcessEngine();
      Assertions.assertThat(current)
          .as("no process engine: call BpmnAwareTests.init(engine) first")
          .isNotNull();
    }
    return current;
  }

  public static ProcessInstanceAssert assertThat(ProcessInstance actual) {
    return new ProcessInstanceAssert(actual);
  }

  public static TaskAssert assertThat(Task actual) {
    return new TaskAssert(actual);
  }

  /** The one task of this instance that is open now (fails when there are several). */
  public static Task task(ProcessInstance processInstance) {
    return engine()
        .getTaskService()
        .createTaskQuery()
        .processInstanceId(processInstance.getId())
        .singleResult();
  }

  /** What a process instance did and where it waits. */
  public static final class ProcessInstanceAssert
      extends AbstractAssert<ProcessInstanceAssert, ProcessInstance> {

    ProcessInstanceAssert(ProcessInstance actual) {
      super(actual, ProcessInstanceAssert.class);
    }

    /** Running, and waiting at every one of these activities (beside others, maybe). */
    public ProcessInstanceAssert isWaitingAt(String... activityIds) {
      Assertions.assertThat(activityIds).as("activity ids").isNotEmpty();
      Assertions.assertThat(activeActivityIds())
          .as("%s is waiting at %s", describe(), Arrays.toString(activityIds))
          .contains(activityIds);
      return this;
    }

    /** Running, and waiting at none of these activities. */
    public ProcessInstanceAssert isNotWaitingAt(String... activityIds) {
      Assertions.assertThat(activeActivityIds())
          .as("%s is not waiting at %s", describe(), Arrays.toString(activityIds))
          .doesNotContain(activityIds);
      return this;
    }

    /** Each of these activities finished at least once. */
    public ProcessInstanceAssert hasPassed(String... activityIds) {
      Assertions.assertThat(activityIds).as("activity ids").isNotEmpty();
      Assertions.assertThat(passed())
          .as("%s has passed %s", describe(), Arrays.toString(activityIds))
          .contains(activityIds);
      return this;
    }

    /** None of these activities finished. */
    public ProcessInstanceAssert hasNotPassed(String... activityIds) {
      Assertions.assertThat(activityIds).as("activity ids").isNotEmpty();
      Assertions.assertThat(passed())
          .as("%s has not passed %s", describe(), Arrays.toString(activityIds))
          .doesNotContain(activityIds);
      return this;
    }

    /** Started: history knows it. */
    public ProcessInstanceAssert isStarted() {
      Assertions.assertThat(historic()).as("%s is started", describe()).isNotNull();
      return this;
    }

    /** Ended: no longer in the runtime, and history has its end. */
    public ProcessInstanceAssert isEnded() {
      Assertions.assertThat(running()).as("%s is ended (not running)", describe()).isNull();
      HistoricProcessInstance historic = historic();
      Assertions.assertThat(historic).as("%s in history", describe()).isNotNull();
      Assertions.assertThat(historic.getEndTime()).as("%s has an end time", describe()).isNotNull();
      return this;
    }

    /** Still running. */
    public ProcessInstanceAssert isNotEnded() {
      Assertions.assertThat(running()).as("%s is not ended", describe()).isNotNull();
      return this;
    }

    private List<String> activeActivityIds() {
      isNotNull();
      Assertions.assertThat(running()).as("%s is running", describe()).isNotNull();
      return engine().getRuntimeService().getActiveActivityIds(actual.getId());
    }

    private List<String> passed() {
      isNotNull();
      return engine()
          .getHistoryService()
          .createHistoricActivityInstanceQuery()
          .processInstanceId(actual.getId())
          .finished()
          .list()
          .stream()
          .map(HistoricActivityInstance::getActivityId)
          .toList();
    }

    private ProcessInstance running() {
      isNotNull();
      return engine()
          .getRuntimeService()
          .createProcessInstanceQuery()
          .processInstanceId(actual.getId())
          .singleResult();
    }

    private HistoricProcessInstance historic() {
      isNotNull();
      return engine()
          .getHistoryService()
          .createHistoricProcessInstanceQuery()
          .processInstanceId(actual.getId())
          .singleResult();
    }

    private String describe() {
      return "process instance " + actual.getId() + " (" + actual.getProcessDefinitionId() + ")";
    }
  }

  /** Who may take a task. */
  public static final class TaskAssert extends AbstractAssert<TaskAssert, Task> {

    TaskAssert(Task actual) {
      super(actual, TaskAssert.class);
    }

    /** Open, not assigned, and a candidate of this group (camunda-bpm-assert's meaning). */
    public TaskAssert hasCandidateGroup(String groupId) {
      isNotNull();
      Assertions.assertThat(
              engine()
                  .getTaskService()
                  .createTaskQuery()
                  .taskId(actual.getId())
                  .taskCandidateGroup(groupId)
                  .count())
          .as("task %s (%s) has the candidate group %s", actual.getId(), actual.getName(), groupId)
          .isEqualTo(1);
      return this;
    }
  }
}
