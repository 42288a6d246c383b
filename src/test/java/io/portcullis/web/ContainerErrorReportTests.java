package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Finding the door of a request line that Tomcat refused before it had an address, from Tomcat's
 * own words.
 */
class ContainerErrorReportTests {

  @Test
  void refusedTarget_whenTomcatNamesTheTarget_thenItsPathWithoutTheQuery() {
    assertThat(
            ContainerErrorReport.refusedTarget(
                new IllegalArgumentException(
                    "Invalid character found in the request target "
                        + "[/api/catalog?x={ ]. The valid characters are defined in RFC 7230 and RFC 3986")))
        .isEqualTo("/api/catalog");
    assertThat(
            ContainerErrorReport.refusedTarget(
                new IllegalArgumentException(
                    "Invalid character found in the request target "
                        + "[/scim/v2/Users/{erin} ]. The valid characters are defined in RFC 7230 and RFC 3986")))
        .isEqualTo("/scim/v2/Users/{erin}");
    // Tomcat's messages in other languages keep the target in square brackets
    assertThat(
            ContainerErrorReport.refusedTarget(
                new IllegalArgumentException(
                    "Ungültiges Zeichen im Request-Target [/api?x=\\ ] gefunden. Gültige Zeichen sind in RFC 7230 und RFC 3986 definiert")))
        .isEqualTo("/api");
  }

  @Test
  void refusedTarget_whenNoTargetIsNamed_thenNone() {
    assertThat(
            ContainerErrorReport.refusedTarget(
                new IllegalArgumentException(
                    "Invalid character found in method name [G{T ]. "
                        + "HTTP method names must be tokens")))
        .isNull();
    assertThat(ContainerErrorReport.refusedTarget(new IllegalStateException("[/api/catalog]")))
        .isNull();
    assertThat(ContainerErrorReport.refusedTarget(null)).isNull();
    assertThat(ContainerErrorReport.refusedTarget(new IllegalArgumentException((String) null)))
        .isNull();
  }
}
