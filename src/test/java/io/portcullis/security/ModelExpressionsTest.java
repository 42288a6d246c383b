package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.support.PortcullisTest;
import java.util.List;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The engine's expressions in the running application: the model beans and the engine's functions
 * resolve, Tasklist's saved filters still do date arithmetic, and nothing else of the application
 * is within reach (security/ModelReach).
 */
@PortcullisTest
class ModelExpressionsTest {

  @Autowired ProcessEngineConfigurationImpl engine;
  @Autowired FilterService filters;
  @Autowired TaskService tasks;

  @Test
  void theEngineUsesTheModelExpressionsAndItsBeanMapIsTheWhitelist() {
    assertThat(engine.getExpressionManager()).isInstanceOf(ModelExpressions.class);
    assertThat(engine.getBeans().keySet()).containsExactlyInAnyOrderElementsOf(ModelReach.BEANS);
    assertThat(engine.getBeans().get("dataSource")).isNull();
    assertThat(engine.getArtifactFactory()).isInstanceOf(ModelReach.NoJavaClasses.class);
  }

  @Test
  void aModelBeanAndTheEngineFunctionsResolve() {
    assertThat(evaluate("${requestLifecycle != null}")).isEqualTo(true);
    // the name that earlier versions of jit-access.bpmn use for it (ModelReach.FORMER_NAMES)
    assertThat(evaluate("${accessRequests == requestLifecycle}")).isEqualTo(true);
    assertThat(evaluate("${now() != null}")).isEqualTo(true);
    assertThat(evaluate("${'text'.length()}")).isEqualTo(4);
  }

  @Test
  void nothingElseIsWithinReach() {
    for (String expression :
        List.of("${dataSource}", "${auditKeys}", "${connectors}", "${ldapTemplate}")) {
      assertThatThrownBy(() -> evaluate(expression))
          .as(expression)
          .isInstanceOf(ProcessEngineException.class)
          .hasMessageContaining("Unknown property");
    }
    assertThatThrownBy(() -> evaluate("${''.getClass()}"))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("out of a model's reach");
    assertThatThrownBy(() -> evaluate("${requestLifecycle.getClass()}"))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("out of a model's reach");
    assertThatThrownBy(() -> evaluate("${accessRequests.getClass()}"))
        .isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("out of a model's reach");
    assertThatThrownBy(() -> evaluate("${now().getClass()}"))
        .isInstanceOf(ProcessEngineException.class);
  }

  @Test
  void aSavedTasklistFilterStillDoesDateArithmetic() {
    Filter filter =
        filters
            .newTaskFilter("due within two days")
            .setQuery(
                tasks.createTaskQuery().dueBeforeExpression("${dateTime().plusDays(2).toDate()}"));
    filters.saveFilter(filter);
    try {
      assertThat(filters.count(filter.getId())).isNotNull();
    } finally {
      filters.deleteFilter(filter.getId());
    }
  }

  private Object evaluate(String expression) {
    return engine
        .getCommandExecutorTxRequired()
        .execute(
            context -> engine.getExpressionManager().createExpression(expression).getValue(null));
  }
}
