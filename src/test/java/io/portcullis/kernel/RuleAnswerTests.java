package io.portcullis.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;

/** What counts as a rule's answer: found under the exceptions the engine wraps around it. */
class RuleAnswerTests {

  @Test
  void aRuleAnswerIsFoundUnderTheEnginesWrappers() {
    var invalid =
        new InvalidInputException("duration", "must be at most PT8H for staging-db-admin");
    assertThat(
            RuleAnswer.in(new ProcessEngineException("Exception while invoking listener", invalid)))
        .isTrue();
    assertThat(
            RuleAnswer.in(new ProcessEngineException("wrapped", new ConflictException("not now"))))
        .isTrue();
    assertThat(
            RuleAnswer.in(
                new ProcessEngineException(
                    "the target system is on fire", new IllegalStateException())))
        .isFalse();
  }
}
