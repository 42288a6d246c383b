package io.portcullis.support;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Before each test, the engine of the test's own application context serves the engine REST API
 * (and the webapps' engine API) again. Those find their engine by the name "default" in a registry
 * that the whole test JVM shares: a newer context (Spring caches several) takes the name over, and
 * an older, cached one would then send its HTTP calls to another context's engine and database. In
 * production one JVM runs one engine; this is only about tests sharing a JVM.
 */
public class EngineOfThisTest extends AbstractTestExecutionListener {

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void beforeTestMethod(TestContext testContext) {
    if (testContext.hasApplicationContext()) {
      testContext
          .getApplicationContext()
          .getBeanProvider(ProcessEngine.class)
          .ifAvailable(EngineOfThisTest::register);
    }
  }

  // a slice's mocked engine has no name, and Operaton's registry (a ConcurrentHashMap) refuses a
  // null key
  private static void register(ProcessEngine engine) {
    if (engine.getName() != null) {
      ProcessEngines.registerProcessEngine(engine);
    }
  }
}
