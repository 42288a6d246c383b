package io.portcullis.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.support.PortcullisTest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.Error;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.MultiInstanceLoopCharacteristics;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The rules every model in processes/ keeps, read from the files a process owner opens in Camunda
 * Modeler, and the names Java gives to activities checked against the deployed models.
 */
@PortcullisTest
class ProcessModelTests {

  private static final Pattern ID =
      Pattern.compile(
          "(startEvent|endEvent|userTask|serviceTask|gateway|boundaryEvent|timerEvent|messageEvent|subProcess|flow|callActivity)_[a-z][A-Za-z0-9]*");
  private static final Pattern BEAN = Pattern.compile("^\\$\\{([A-Za-z][A-Za-z0-9]*)[.}]");

  /**
   * Service tasks that call no outside system and run in the transaction of the async service task
   * before them, one commit fewer per request (issue 31): every outside call stays behind an async
   * continuation (docs/architecture.md, rule 3), and a crash before that commit repeats the two
   * together. "Start the access clock" runs in "Check standing access"'s transaction: both commit
   * before the grant's first call, as rule 13 asks of the clock.
   */
  static final Set<String> IN_THE_STEP_BEFORE = Set.of("serviceTask_startAccessClock");

  @Autowired ApplicationContext context;

  @Test
  void everyServiceTaskIsAsyncWithRetriesAndADelegateTheApplicationHas() throws IOException {
    for (BpmnModelInstance model : models()) {
      for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
        if (IN_THE_STEP_BEFORE.contains(task.getId())) {
          assertRunsInTheStepBefore(task);
          continue;
        }
        // a multi-instance step is async before each instance, with the retries of each, on its
        // loop
        MultiInstanceLoopCharacteristics loop =
            task.getLoopCharacteristics() instanceof MultiInstanceLoopCharacteristics mi
                ? mi
                : null;
        assertThat(loop == null ? task.isCamundaAsyncBefore() : loop.isCamundaAsyncBefore())
            .as(task.getId() + " is async before")
            .isTrue();
        var extensions = loop == null ? task.getExtensionElements() : loop.getExtensionElements();
        assertThat(extensions).as(task.getId() + " has extension elements").isNotNull();
        assertThat(
                extensions
                    .getElementsQuery()
                    .filterByType(CamundaFailedJobRetryTimeCycle.class)
                    .count())
            .as(task.getId() + " has a retry cycle")
            .isEqualTo(1);
        assertBean(task.getId(), task.getCamundaDelegateExpression());
      }
    }
  }

  @Test
  void everyListenerNamesABeanTheApplicationHas() throws IOException {
    for (BpmnModelInstance model : models()) {
      for (CamundaExecutionListener listener :
          model.getModelElementsByType(CamundaExecutionListener.class)) {
        assertBean(
            "execution listener",
            listener.getCamundaExpression() != null
                ? listener.getCamundaExpression()
                : listener.getCamundaDelegateExpression());
      }
      for (CamundaTaskListener listener : model.getModelElementsByType(CamundaTaskListener.class)) {
        assertBean(
            "task listener",
            listener.getCamundaExpression() != null
                ? listener.getCamundaExpression()
                : listener.getCamundaDelegateExpression());
      }
    }
  }

  @Test
  void everyFormRefIsAFormInFormsBoundToItsDeployment() throws IOException {
    Set<String> forms;
    try (Stream<Path> files = Files.list(Path.of("forms"))) {
      ObjectMapper json = new ObjectMapper();
      forms =
          files
              .filter(f -> f.toString().endsWith(".form"))
              .map(
                  f -> {
                    try {
                      return json.readTree(f.toFile()).get("id").asText();
                    } catch (IOException e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .collect(Collectors.toSet());
    }
    for (BpmnModelInstance model : models()) {
      for (UserTask task : model.getModelElementsByType(UserTask.class)) {
        String ref = task.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "formRef");
        assertThat(ref).as(task.getId() + " has a Camunda form").isNotNull();
        assertThat(forms).as("forms/*.form ids").contains(ref);
        assertThat(task.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "formRefBinding"))
            .isIn("deployment", "latest");
      }
      // a start form is optional; where there is one (jit-access: request/RequestAccessForm), the
      // same rule
      for (StartEvent start : model.getModelElementsByType(StartEvent.class)) {
        String ref = start.getCamundaFormRef();
        if (ref != null) {
          assertThat(forms).as(start.getId() + ": forms/*.form ids").contains(ref);
          assertThat(start.getCamundaFormRefBinding())
              .as(start.getId())
              .isIn("deployment", "latest");
        }
      }
    }
  }

  @Test
  void everyNodeAndFlowHasATypedIdAndEveryProcessAHistoryTimeToLive() throws IOException {
    for (BpmnModelInstance model : models()) {
      for (Process process : model.getModelElementsByType(Process.class)) {
        assertThat(process.getCamundaHistoryTimeToLiveString())
            .as(process.getId() + " historyTimeToLive")
            .isNotBlank();
      }
      for (FlowElement element : model.getModelElementsByType(FlowElement.class)) {
        assertThat(element.getId())
            .as("id of a " + element.getElementType().getTypeName())
            .matches(ID);
      }
    }
  }

  /**
   * Every id and name that Java writes for a model is a constant of its process's names class, and
   * each is in that process's model as a process owner opens it: an activity or event id, a
   * message's name, an error's code, a process key. Renaming one in Modeler, or a constant in Java,
   * fails here rather than in production. A nested class holds the elements of an earlier version
   * only, which instances started on it still pass; it is checked against that version, kept in
   * src/test/resources/deployments.
   */
  @Test
  void everyIdAndNameThatJavaWritesIsInItsModel() throws Exception {
    Map<String, List<String>> modelsOf =
        Map.of(
            "io.portcullis.request.AccessProcess",
            List.of("processes/jit-access.bpmn", "processes/access-revocation.bpmn"),
            "io.portcullis.approval.ApprovalProcess",
            List.of("processes/jit-access.bpmn", "processes/break-glass-review.bpmn"),
            "io.portcullis.request.BreakGlassReview",
            List.of("processes/break-glass-review.bpmn"),
            "io.portcullis.offboarding.OffboardingProcess",
            List.of("processes/offboarding.bpmn"),
            "io.portcullis.offboarding.OffboardingProcess$Before24",
            List.of("src/test/resources/deployments/offboarding-before-issue-24.bpmn"),
            "io.portcullis.notification.NotificationProcess",
            List.of("processes/notification.bpmn"),
            "io.portcullis.drift.DriftProcess",
            List.of("processes/drift-sweep.bpmn", "processes/drift-finding.bpmn"),
            "io.portcullis.review.ReviewProcess",
            List.of("processes/access-review.bpmn", "processes/access-review-schedule.bpmn"),
            "io.portcullis.approval.DelegationProcess",
            List.of("processes/delegation.bpmn"));
    int checked = 0;
    for (String top :
        List.of(
            "io.portcullis.request.AccessProcess",
            "io.portcullis.approval.ApprovalProcess",
            "io.portcullis.request.BreakGlassReview",
            "io.portcullis.offboarding.OffboardingProcess",
            "io.portcullis.notification.NotificationProcess",
            "io.portcullis.drift.DriftProcess",
            "io.portcullis.review.ReviewProcess",
            "io.portcullis.approval.DelegationProcess")) {
      List<Class<?>> classes = new ArrayList<>(List.of(Class.forName(top)));
      classes.addAll(List.of(Class.forName(top).getDeclaredClasses()));
      for (Class<?> names : classes) {
        assertThat(modelsOf)
            .as(names.getName() + " says which models it names")
            .containsKey(names.getName());
        List<BpmnModelInstance> models = new ArrayList<>();
        for (String file : modelsOf.get(names.getName())) {
          try (InputStream in = Files.newInputStream(Path.of(file))) {
            models.add(Bpmn.readModelFromStream(in));
          }
        }
        for (Field field : names.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class) {
            continue;
          }
          field.setAccessible(true);
          String value = (String) field.get(null);
          String constant = names.getSimpleName() + "." + field.getName();
          Kind kind = Kind.of(field.getName());
          if (kind == null) {
            assertThat(value)
                .as(
                    constant
                        + " is an id: name it TASK_, GATEWAY_, EVENT_... so that it is checked")
                .doesNotMatch(ID);
            continue;
          }
          assertThat(models)
              .as(
                  constant
                      + " = "
                      + value
                      + " is a "
                      + kind
                      + " of "
                      + modelsOf.get(names.getName()))
              .anySatisfy(model -> assertThat(kind.in(model)).contains(value));
          checked++;
        }
      }
    }
    assertThat(checked).as("ids and names checked").isGreaterThan(35);
  }

  /** What a constant names, by the start of its name. */
  private enum Kind {
    PROCESS,
    ELEMENT,
    MESSAGE,
    ERROR;

    static Kind of(String field) {
      if (field.equals("KEY") || field.endsWith("_KEY")) {
        return PROCESS;
      }
      if (field.startsWith("MESSAGE_")) {
        return MESSAGE;
      }
      if (field.startsWith("ERROR_")) {
        return ERROR;
      }
      return field.matches("(TASK|SUBPROCESS|GATEWAY|TIMER|EVENT|START|END)_.*") ? ELEMENT : null;
    }

    Set<String> in(BpmnModelInstance model) {
      return switch (this) {
        case PROCESS -> ids(model.getModelElementsByType(Process.class));
        case ELEMENT -> ids(model.getModelElementsByType(FlowElement.class));
        case MESSAGE ->
            model.getModelElementsByType(Message.class).stream()
                .map(Message::getName)
                .collect(Collectors.toSet());
        case ERROR ->
            model.getModelElementsByType(Error.class).stream()
                .map(Error::getErrorCode)
                .collect(Collectors.toSet());
      };
    }

    private static Set<String> ids(Collection<? extends BaseElement> elements) {
      return elements.stream().map(BaseElement::getId).collect(Collectors.toSet());
    }
  }

  /**
   * Each bean a model names is named for its class ({@code requestLifecycle} is a
   * RequestLifecycle), so a reader finds it.
   */
  @Test
  void everyBeanThatAModelNamesIsNamedForItsClass() throws IOException {
    Set<String> beans = new TreeSet<>();
    for (BpmnModelInstance model : models()) {
      for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
        beans.add(bean(task.getCamundaDelegateExpression()));
      }
      for (CamundaExecutionListener listener :
          model.getModelElementsByType(CamundaExecutionListener.class)) {
        beans.add(
            bean(
                listener.getCamundaExpression() != null
                    ? listener.getCamundaExpression()
                    : listener.getCamundaDelegateExpression()));
      }
      for (CamundaTaskListener listener : model.getModelElementsByType(CamundaTaskListener.class)) {
        beans.add(
            bean(
                listener.getCamundaExpression() != null
                    ? listener.getCamundaExpression()
                    : listener.getCamundaDelegateExpression()));
      }
    }
    assertThat(beans).hasSizeGreaterThan(20);
    for (String bean : beans) {
      Class<?> type = ClassUtils.getUserClass(context.getType(bean));
      assertThat(bean)
          .as("the bean of class " + type.getSimpleName())
          .isEqualTo(StringUtils.uncapitalize(type.getSimpleName()));
    }
  }

  private static String bean(String expression) {
    Matcher m = BEAN.matcher(expression);
    assertThat(m.find()).as(expression + " is ${bean} or ${bean.method(...)}").isTrue();
    return m.group(1);
  }

  /**
   * A step in its predecessor's transaction: not async, no retries of its own (its predecessor's
   * job retries both), reached only from an async service task, and a delegate with no connector.
   */
  private void assertRunsInTheStepBefore(ServiceTask task) {
    assertThat(task.isCamundaAsyncBefore()).as(task.getId() + " is not async before").isFalse();
    assertThat(
            task.getExtensionElements() == null
                ? 0
                : task.getExtensionElements()
                    .getElementsQuery()
                    .filterByType(CamundaFailedJobRetryTimeCycle.class)
                    .count())
        .as(task.getId() + " has no retry cycle of its own")
        .isZero();
    assertThat(task.getIncoming()).as(task.getId() + "'s ways in").isNotEmpty();
    for (SequenceFlow in : task.getIncoming()) {
      assertThat(in.getSource())
          .as(task.getId() + " is reached from an async service task")
          .isInstanceOfSatisfying(
              ServiceTask.class,
              before ->
                  assertThat(
                          before.isCamundaAsyncBefore()
                              && !IN_THE_STEP_BEFORE.contains(before.getId()))
                      .as(before.getId() + " is async before")
                      .isTrue());
    }
    assertBean(task.getId(), task.getCamundaDelegateExpression());
    Object delegate = context.getBean(bean(task.getCamundaDelegateExpression()));
    for (Field field : ClassUtils.getUserClass(delegate).getDeclaredFields()) {
      assertThat(field.getType().getPackageName())
          .as(task.getId() + "'s delegate calls no connector: its " + field.getName())
          .doesNotStartWith("io.portcullis.connector");
    }
  }

  private void assertBean(String where, String expression) {
    assertThat(expression).as(where + " names a bean").isNotNull();
    Matcher m = BEAN.matcher(expression);
    assertThat(m.find())
        .as(where + ": " + expression + " is ${bean} or ${bean.method(...)}")
        .isTrue();
    assertThat(context.containsBean(m.group(1)))
        .as(where + ": the application has a bean " + m.group(1))
        .isTrue();
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
