package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a door logs a rule's answer. */
class LogLineTests {

  @Test
  void aLoggedAnswerIsOneLineWhateverTheCallerSent() {
    assertThat(LogLine.of("resource: no resource 'x\n2026-01-01 ERROR forged' in the catalog"))
        .isEqualTo("resource: no resource 'x 2026-01-01 ERROR forged' in the catalog");
    assertThat(LogLine.of("a\r\u2028b\u0000c")).isEqualTo("a  b c");
    assertThat(LogLine.of(null)).isEmpty();
  }
}
