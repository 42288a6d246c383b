package io.portcullis.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.portcullis.PortcullisApplication;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A graceful shutdown lets a running job finish and commit: closing the context waits for it
 * instead of closing the engine under it and interrupting its thread.
 */
class JobExecutorDrainTest {

  @Test
  void closingTheContextWaitsForTheRunningJobToCommit() throws Exception {
    SlowStep step = new SlowStep();
    ConfigurableApplicationContext node =
        new SpringApplicationBuilder(PortcullisApplication.class)
            .profiles("demo", "test")
            .run(
                "--server.port=0",
                "--spring.ldap.embedded.port=0",
                "--camunda.bpm.job-execution.enabled=true",
                "--spring.main.banner-mode=off");
    String url = ((HikariDataSource) node.getBean(DataSource.class)).getJdbcUrl();
    // a deployed model reaches only the beans in the engine's bean map (security/ModelReach): Java
    // code may add one
    node.getBean(ProcessEngineConfigurationImpl.class).getBeans().put("slowTestStep", step);
    node.getBean(RepositoryService.class)
        .createDeployment()
        .addModelInstance(
            "drain-test.bpmn",
            Bpmn.createExecutableProcess("drainTest")
                .camundaHistoryTimeToLive(1)
                .startEvent()
                .serviceTask("serviceTask_slowStep")
                .camundaAsyncBefore()
                .camundaExpression("${slowTestStep.run()}")
                .endEvent()
                .done())
        .deploy();
    String instance =
        node.getBean(RuntimeService.class).startProcessInstanceByKey("drainTest").getId();
    JobExecutor jobExecutor = node.getBean(JobExecutor.class);
    assertThat(step.started.await(60, TimeUnit.SECONDS)).as("the job runs").isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(node::close);
    await("job acquisition stopped")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !jobExecutor.isActive());
    assertThat(closing).as("the context waits for the running job").isNotDone();
    step.release.countDown();
    closing.get(60, TimeUnit.SECONDS);

    assertThat(step.interrupted).as("the job's thread was not interrupted").isFalse();
    try (Connection db = DriverManager.getConnection(url, "sa", "");
        ResultSet ended =
            db.createStatement()
                .executeQuery(
                    "select end_time_ from act_hi_procinst where id_ = '" + instance + "'")) {
      assertThat(ended.next()).isTrue();
      assertThat(ended.getTimestamp(1)).as("the job committed: the instance ended").isNotNull();
    }
  }

  /** A step that runs until the test lets it finish. */
  public static class SlowStep {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean interrupted;

    public void run() throws InterruptedException {
      started.countDown();
      try {
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        interrupted = true;
        throw e;
      }
    }
  }
}
