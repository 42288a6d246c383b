package io.portcullis.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Collection;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Component;

/**
 * processes/notification.bpmn as a model, without an engine: the names Java uses, and the house
 * rules.
 */
class NotificationProcessModelTest {

  @Test
  void theSendingStepIsAsyncRetriedAndNamedAsJavaNamesIt() throws Exception {
    BpmnModelInstance model;
    try (InputStream in = getClass().getResourceAsStream("/processes/notification.bpmn")) {
      model = Bpmn.readModelFromStream(in);
    }
    Process process = model.getModelElementById(NotificationProcess.KEY);
    assertThat(process.getCamundaHistoryTimeToLiveString()).isNotBlank();

    ServiceTask send = model.getModelElementById(NotificationProcess.TASK_SEND);
    assertThat(send.getName()).isEqualTo("Send notification");
    assertThat(send.isCamundaAsyncBefore()).isTrue();
    assertThat(send.getCamundaDelegateExpression()).isEqualTo("${sendNotification}");
    assertThat(
            send.getExtensionElements()
                .getElementsQuery()
                .filterByType(CamundaFailedJobRetryTimeCycle.class)
                .singleResult()
                .getTextContent())
        .isEqualTo("R5/PT1M");
    assertThat(SendNotification.class.getAnnotation(Component.class).value())
        .isEqualTo("sendNotification");
    // one step only: nothing but the sending is asynchronous, retried or able to fail
    assertThat(model.getModelElementsByType(ServiceTask.class)).hasSize(1);

    Collection<FlowNode> nodes = model.getModelElementsByType(FlowNode.class);
    assertThat(nodes)
        .extracting(FlowNode::getId)
        .allMatch(id -> id.matches("(startEvent|serviceTask|endEvent)_[a-z][A-Za-z]+"));
    assertThat(nodes).allSatisfy(node -> assertThat(node.getName()).isNotBlank());
    assertThat(model.getModelElementsByType(SequenceFlow.class))
        .extracting(SequenceFlow::getId)
        .allMatch(id -> id.matches("flow_[a-z][A-Za-z]+"));
  }
}
