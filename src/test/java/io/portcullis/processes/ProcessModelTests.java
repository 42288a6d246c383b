package io.portcullis.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.approval.ApprovalProcess;
import io.portcullis.request.AccessProcess;
import io.portcullis.support.PortcullisTest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.MultiInstanceLoopCharacteristics;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The rules every model in processes/ keeps, read from the files a process owner opens in Camunda
 * Modeler, and the names Java gives to activities checked against the deployed models.
 */
@PortcullisTest
class ProcessModelTests {

  private static final Pattern ID = Pattern.compile(
      "(startEvent|endEvent|userTask|serviceTask|gateway|boundaryEvent|timerEvent|messageEvent|subProcess|flow|callActivity)_[a-z][A-Za-z0-9]*");
  private static final Pattern BEAN = Pattern.compile("^\\$\\{([A-Za-z][A-Za-z0-9]*)[.}]");

  @Autowired ApplicationContext context;
  @Autowired RepositoryService repository;

  @Test
  void everyServiceTaskIsAsyncWithRetriesAndADelegateTheApplicationHas() throws IOException {
    for (BpmnModelInstance model : models()) {
      for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
        // a multi-instance step is async before each instance, with the retries of each, on its loop
        MultiInstanceLoopCharacteristics loop = task.getLoopCharacteristics() instanceof MultiInstanceLoopCharacteristics mi ? mi : null;
        assertThat(loop == null ? task.isCamundaAsyncBefore() : loop.isCamundaAsyncBefore()).as(task.getId() + " is async before").isTrue();
        var extensions = loop == null ? task.getExtensionElements() : loop.getExtensionElements();
        assertThat(extensions).as(task.getId() + " has extension elements").isNotNull();
        assertThat(extensions.getElementsQuery().filterByType(CamundaFailedJobRetryTimeCycle.class).count())
            .as(task.getId() + " has a retry cycle").isEqualTo(1);
        assertBean(task.getId(), task.getCamundaDelegateExpression());
      }
    }
  }

  @Test
  void everyListenerNamesABeanTheApplicationHas() throws IOException {
    for (BpmnModelInstance model : models()) {
      for (CamundaExecutionListener listener : model.getModelElementsByType(CamundaExecutionListener.class)) {
        assertBean("execution listener", listener.getCamundaExpression() != null ? listener.getCamundaExpression()
            : listener.getCamundaDelegateExpression());
      }
      for (CamundaTaskListener listener : model.getModelElementsByType(CamundaTaskListener.class)) {
        assertBean("task listener", listener.getCamundaExpression() != null ? listener.getCamundaExpression()
            : listener.getCamundaDelegateExpression());
      }
    }
  }

  @Test
  void everyFormRefIsAFormInFormsBoundToItsDeployment() throws IOException {
    Set<String> forms;
    try (Stream<Path> files = Files.list(Path.of("forms"))) {
      ObjectMapper json = new ObjectMapper();
      forms = files.filter(f -> f.toString().endsWith(".form")).map(f -> {
        try {
          return json.readTree(f.toFile()).get("id").asText();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).collect(Collectors.toSet());
    }
    for (BpmnModelInstance model : models()) {
      for (UserTask task : model.getModelElementsByType(UserTask.class)) {
        String ref = task.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "formRef");
        assertThat(ref).as(task.getId() + " has a Camunda form").isNotNull();
        assertThat(forms).as("forms/*.form ids").contains(ref);
        assertThat(task.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "formRefBinding")).isIn("deployment", "latest");
      }
      // a start form is optional; where there is one (jit-access: request/RequestAccessForm), the same rule
      for (StartEvent start : model.getModelElementsByType(StartEvent.class)) {
        String ref = start.getCamundaFormRef();
        if (ref != null) {
          assertThat(forms).as(start.getId() + ": forms/*.form ids").contains(ref);
          assertThat(start.getCamundaFormRefBinding()).as(start.getId()).isIn("deployment", "latest");
        }
      }
    }
  }

  @Test
  void everyNodeAndFlowHasATypedIdAndEveryProcessAHistoryTimeToLive() throws IOException {
    for (BpmnModelInstance model : models()) {
      for (Process process : model.getModelElementsByType(Process.class)) {
        assertThat(process.getCamundaHistoryTimeToLiveString()).as(process.getId() + " historyTimeToLive").isNotBlank();
      }
      for (FlowElement element : model.getModelElementsByType(FlowElement.class)) {
        assertThat(element.getId()).as("id of a " + element.getElementType().getTypeName()).matches(ID);
      }
    }
  }

  /** A Java constant that names an activity names one of the deployed model: renaming it in Modeler breaks this test. */
  @Test
  void everyActivityThatJavaNamesIsInTheDeployedModel() throws IllegalAccessException {
    BpmnModelInstance deployed = repository.getBpmnModelInstance(repository.createProcessDefinitionQuery()
        .processDefinitionKey(AccessProcess.KEY).latestVersion().singleResult().getId());
    List<String> named = new ArrayList<>();
    for (Class<?> names : List.of(AccessProcess.class, ApprovalProcess.class)) {
      for (Field field : names.getFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getName().matches("(TASK|TIMER|SUBPROCESS)_.*")) {
          named.add((String) field.get(null));
        }
      }
    }
    assertThat(named).hasSizeGreaterThan(8);
    for (String id : named) {
      if (id.equals(AccessProcess.TASK_REVOKE)) {
        continue; // in both models; checked below
      }
      BaseElement element = deployed.getModelElementById(id);
      assertThat(element).as(id + " in the deployed " + AccessProcess.KEY).isNotNull();
    }
    BpmnModelInstance revocation = repository.getBpmnModelInstance(repository.createProcessDefinitionQuery()
        .processDefinitionKey(AccessProcess.REVOCATION_KEY).latestVersion().singleResult().getId());
    assertThat((BaseElement) revocation.getModelElementById(AccessProcess.TASK_REVOKE)).isNotNull();
    assertThat((BaseElement) deployed.getModelElementById(AccessProcess.TASK_REVOKE)).isNotNull();
  }

  private void assertBean(String where, String expression) {
    assertThat(expression).as(where + " names a bean").isNotNull();
    Matcher m = BEAN.matcher(expression);
    assertThat(m.find()).as(where + ": " + expression + " is ${bean} or ${bean.method(...)}").isTrue();
    assertThat(context.containsBean(m.group(1))).as(where + ": the application has a bean " + m.group(1)).isTrue();
  }

  private static List<BpmnModelInstance> models() throws IOException {
    List<BpmnModelInstance> models = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("processes"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".bpmn")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          models.add(Bpmn.readModelFromStream(in));
        }
      }
    }
    assertThat(models).hasSizeGreaterThanOrEqualTo(5);
    return models;
  }
}
