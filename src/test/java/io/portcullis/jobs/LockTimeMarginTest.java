package io.portcullis.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.PortcullisApplication;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The job lock time must exceed a step's worst case, computed from the directory's timeouts and URLs, by
 * the margin; a node whose lock time does not refuses to start and says what to change.
 */
@ExtendWith(OutputCaptureExtension.class)
class LockTimeMarginTest {

  @Test
  void aStepsWorstCaseIsFourDirectoryCallsEachWaitingForEveryUrlThenTheAnswer() {
    assertThat(LockTimeMargin.worstStep(1, Duration.ofSeconds(5), Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(60));
    assertThat(LockTimeMargin.worstStep(2, Duration.ofSeconds(5), Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(80));
  }


  @Test
  void aLockTimeWithoutTheMarginStopsStartUp(CapturedOutput output) {
    // the previous default: exactly the worst case, no margin
    assertThatThrownBy(() -> app().run("--camunda.bpm.job-execution.enabled=true", "--camunda.bpm.job-execution.lock-time-in-millis=60000"))
        .hasRootCauseInstanceOf(NodeStartRefusedException.class).rootCause().hasMessage("camunda.bpm.job-execution.lock-time-in-millis "
            + "(60000) must be more than 1.5 x a step's worst case, 60 s (4 directory calls x (1 URL(s) x portcullis.directory.connect-timeout "
            + "5000 ms + read-timeout 10000 ms)) = 90000 ms: otherwise a node still inside a step whose lock expired runs it beside the "
            + "node that took it over. Raise the lock time, or lower the directory's timeouts");
    assertThat(output.getOut()).contains("This node refuses to start: camunda.bpm.job-execution.lock-time-in-millis (60000)");
  }

  @Test
  void longerDirectoryTimeoutsNeedALongerLockTime() {
    assertThatThrownBy(() -> app().run("--camunda.bpm.job-execution.enabled=true", "--portcullis.directory.read-timeout=30s"))
        .hasRootCauseInstanceOf(NodeStartRefusedException.class).rootCause()
        .hasMessageStartingWith("camunda.bpm.job-execution.lock-time-in-millis (120000) must be more than 1.5 x a step's worst case, 140 s");
  }


  private static SpringApplicationBuilder app() {
    return new SpringApplicationBuilder(PortcullisApplication.class).profiles("demo", "test")
        .properties(Map.of("spring.main.banner-mode", "off", "server.port", "0", "spring.ldap.embedded.port", "0"));
  }
}
