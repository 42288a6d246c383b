package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.camunda.bpm.engine.impl.history.event.HistoricJobLogEvent;
import org.camunda.bpm.engine.impl.history.event.UserOperationLogEntryEventEntity;
import org.junit.jupiter.api.Test;

/**
 * History events that belong to no process instance (a deployment's user-operation-log entry, a job
 * of no process) pass by without a look-up: once, the deployment's entry made every deployment
 * through the engine's REST API fail with a NullPointerException.
 */
class StepFailuresAuditedTests {

  // no repository and no events: a look-up of either would fail the test
  final StepFailuresAudited audited = new StepFailuresAudited(null, null);

  @Test
  void handleEvent_whenADeploymentsOperationLogEntry_thenNothingHappens() {
    UserOperationLogEntryEventEntity entry = new UserOperationLogEntryEventEntity();
    entry.setOperationType("Create");
    entry.setEntityType("Deployment");

    assertThatCode(() -> audited.handleEvent(entry)).doesNotThrowAnyException();
  }

  @Test
  void handleEvent_whenAJobOfNoProcess_thenNothingHappens() {
    HistoricJobLogEvent job = new HistoricJobLogEvent();
    job.setProcessDefinitionKey(null);

    assertThatCode(() -> audited.handleEvent(job)).doesNotThrowAnyException();
  }
}
