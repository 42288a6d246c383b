package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;

/** What counts as a rule's answer, and how a door logs one. */
class RuleAnswersTests {

  @Test
  void aRuleAnswerIsFoundUnderTheEnginesWrappers() {
    var invalid = new InvalidInputException("duration", "must be at most PT8H for staging-db-admin");
    assertThat(RuleAnswers.in(new ProcessEngineException("Exception while invoking listener", invalid))).isTrue();
    assertThat(RuleAnswers.in(new ProcessEngineException("wrapped", ApiException.conflict("not now")))).isTrue();
    assertThat(RuleAnswers.in(new ProcessEngineException("the target system is on fire", new IllegalStateException()))).isFalse();
  }

  @Test
  void aLoggedAnswerIsOneLineWhateverTheCallerSent() {
    assertThat(RuleAnswers.asLogLine("resource: no resource 'x\n2026-01-01 ERROR forged' in the catalog"))
        .isEqualTo("resource: no resource 'x 2026-01-01 ERROR forged' in the catalog");
    assertThat(RuleAnswers.asLogLine("a\r\u2028b\u0000c")).isEqualTo("a  b c");
    assertThat(RuleAnswers.asLogLine(null)).isEmpty();
  }
}
