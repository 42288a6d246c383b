package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.PortcullisApplication;
import io.portcullis.connector.ConnectorInstances;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.postgresql.PostgresRoleConnectorType;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.kernel.ConnectorName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.ldap.LdapProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The job lock time must exceed a step's worst case, computed from the directory's timeouts and
 * URLs and from each connector instance's timeouts, by the margin; a node whose lock time does not
 * refuses to start and says what to change, naming the instance when one needs the longer lock.
 */
@ExtendWith(OutputCaptureExtension.class)
class LockTimeMarginTest {

  @Test
  void aStepsWorstCaseIsFourDirectoryCallsEachWaitingForEveryUrlThenTheAnswer() {
    assertThat(LockTimeMargin.worstStep(1, Duration.ofSeconds(5), Duration.ofSeconds(10)))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(LockTimeMargin.worstStep(2, Duration.ofSeconds(5), Duration.ofSeconds(10)))
        .isEqualTo(Duration.ofSeconds(80));
  }

  @Test
  void aLockTimeWithoutTheMarginStopsStartUp(CapturedOutput output) {
    // the previous default: exactly the worst case, no margin
    assertThatThrownBy(
            () ->
                app()
                    .run(
                        "--camunda.bpm.job-execution.enabled=true",
                        "--camunda.bpm.job-execution.lock-time-in-millis=60000"))
        .hasRootCauseInstanceOf(NodeStartRefusedException.class)
        .rootCause()
        .hasMessage(
            "camunda.bpm.job-execution.lock-time-in-millis "
                + "(60000) must be more than 1.5 x a step's worst case, 60 s (4 directory calls x (1 URL(s) x portcullis.directory.connect-timeout "
                + "5000 ms + read-timeout 10000 ms)) = 90000 ms: otherwise a node still inside a step whose lock expired runs it beside the "
                + "node that took it over. Raise the lock time, or lower the directory's timeouts");
    assertThat(output.getOut())
        .contains(
            "This node refuses to start: camunda.bpm.job-execution.lock-time-in-millis (60000)");
  }

  @Test
  void longerDirectoryTimeoutsNeedALongerLockTime() {
    assertThatThrownBy(
            () ->
                app()
                    .run(
                        "--camunda.bpm.job-execution.enabled=true",
                        "--portcullis.directory.read-timeout=30s"))
        .hasRootCauseInstanceOf(NodeStartRefusedException.class)
        .rootCause()
        .hasMessageStartingWith(
            "camunda.bpm.job-execution.lock-time-in-millis (120000) must be more than 1.5 x a step's worst case, 140 s");
  }

  /**
   * A keycloak-group instance whose timeout makes its longest step (20 calls) outlast the lock:
   * start-up names it.
   */
  @Test
  void aConnectorInstanceWhoseStepOutlastsTheLockStopsStartUpNamingIt() {
    assertThatThrownBy(
            () ->
                app()
                    .run(
                        "--camunda.bpm.job-execution.enabled=true",
                        "--portcullis.connectors.sso.type=keycloak-group",
                        "--portcullis.connectors.sso.server-url=http://127.0.0.1:1",
                        "--portcullis.connectors.sso.realm=company",
                        "--portcullis.connectors.sso.client-id=portcullis",
                        "--portcullis.connectors.sso.client-secret=test-only",
                        "--portcullis.connectors.sso.timeout=10s"))
        .hasRootCauseInstanceOf(NodeStartRefusedException.class)
        .rootCause()
        .hasMessage(
            "camunda.bpm.job-execution.lock-time-in-millis "
                + "(120000) must be more than 1.5 x a step's worst case, 200 s (connector instance sso: its timeouts x the calls of its "
                + "longest step) = 300000 ms: otherwise a node still inside a step whose lock expired runs it beside the node that took "
                + "it over. Raise the lock time, or lower the timeouts of portcullis.connectors.sso");
  }

  @Test
  void aPostgresInstanceCountsConnectStatementAndSessionEndTimeoutsThreeTimes() {
    try (Instances instances = Instances.postgres("30s")) {
      assertThat(instances.connectors().worstSteps())
          .containsEntry(ConnectorName.of("app-db"), Duration.ofSeconds(120));
      assertThatThrownBy(() -> margin(Duration.ofSeconds(120), instances.connectors()))
          .isInstanceOf(NodeStartRefusedException.class)
          .hasMessageStartingWith(
              "camunda.bpm.job-execution.lock-time-in-millis (120000) must be more than 1.5 x a step's worst case, "
                  + "120 s (connector instance app-db")
          .hasMessageEndingWith("lower the timeouts of portcullis.connectors.app-db");
    }
  }

  /** Longer than the directory's 60 s, but 1.5 x 78 s = 117 s is within the default 120 s. */
  @Test
  void aConnectorInstanceThatFitsTheLockStarts() {
    try (Instances instances = Instances.postgres("16s")) {
      assertThat(instances.connectors().worstSteps())
          .containsEntry(ConnectorName.of("app-db"), Duration.ofSeconds(78));
      assertThatCode(() -> margin(Duration.ofSeconds(120), instances.connectors()))
          .doesNotThrowAnyException();
      assertThatThrownBy(() -> margin(Duration.ofMillis(117_000), instances.connectors()))
          .isInstanceOf(NodeStartRefusedException.class);
    }
  }

  private static LockTimeMargin margin(Duration lockTime, Connectors connectors) {
    CamundaBpmProperties camunda = new CamundaBpmProperties();
    camunda.getJobExecution().setEnabled(true);
    camunda.getJobExecution().setLockTimeInMillis((int) lockTime.toMillis());
    DirectoryProperties directory =
        new DirectoryProperties(
            "dc=portcullis,dc=demo",
            "ou=people",
            "ou=groups",
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    return new LockTimeMargin(
        camunda,
        directory,
        new DefaultListableBeanFactory().getBeanProvider(LdapProperties.class),
        new JobsProperties(null, null, null, null),
        connectors);
  }

  /**
   * A postgresql-role instance app-db (connect 5 s, session end 5 s) with this statement timeout;
   * it connects on first use only.
   */
  private record Instances(ConnectorInstances all, Connectors connectors) implements AutoCloseable {

    static Instances postgres(String statementTimeout) {
      ConnectorInstances all =
          new ConnectorInstances(
              Map.of(
                  "app-db.type",
                  "postgresql-role",
                  "app-db.url",
                  "jdbc:postgresql://127.0.0.1:1/app",
                  "app-db.username",
                  "portcullis",
                  "app-db.password",
                  "test-only",
                  "app-db.statement-timeout",
                  statementTimeout),
              List.of(new PostgresRoleConnectorType()));
      return new Instances(
          all,
          new Connectors(
              List.copyOf(all.all().values()),
              new DefaultListableBeanFactory().getBeanProvider(MeterRegistry.class),
              event -> {}));
    }

    @Override
    public void close() {
      all.destroy();
    }
  }

  private static SpringApplicationBuilder app() {
    return new SpringApplicationBuilder(PortcullisApplication.class)
        .profiles("demo", "test")
        .properties(
            Map.of(
                "spring.main.banner-mode",
                "off",
                "server.port",
                "0",
                "spring.ldap.embedded.port",
                "0"));
  }
}
