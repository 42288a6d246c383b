package io.portcullis.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The ids and names of the kernel: each made only through its rule, each shown as its plain text.
 */
class IdsTests {

  @Test
  void aResourceIdIsRequiredAndLowerCase() {
    assertThat(ResourceId.of("staging-db-admin")).hasToString("staging-db-admin");
    assertThatThrownBy(() -> ResourceId.of(null)).hasMessage("resource: is required");
    assertThatThrownBy(() -> ResourceId.of(" ")).hasMessage("resource: is required");
    assertThatThrownBy(() -> ResourceId.of("Staging"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("resource: is not a resource id (lower-case letters, digits and dashes)");
  }

  @Test
  void aRequestIdIsLettersDigitsAndDashesNamingTheFieldAsked() {
    assertThat(RequestId.random().value()).matches(RequestId.PATTERN);
    assertThat(RequestId.of("OPS-7")).hasToString("OPS-7");
    assertThatThrownBy(() -> RequestId.of("a/b")).hasMessage("id: " + RequestId.RULE);
    assertThatThrownBy(() -> RequestId.of("businessKey", "x".repeat(65)))
        .hasMessage("businessKey: " + RequestId.RULE);
  }

  @Test
  void anOffboardingIdIsAUuid() {
    assertThat(OffboardingId.random().value()).matches(OffboardingId.PATTERN);
    assertThatThrownBy(() -> OffboardingId.of("nope")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aConnectorNameIsAWordAndATargetIsOpaque() {
    assertThat(ConnectorName.of("ldap-group")).hasToString("ldap-group");
    assertThatThrownBy(() -> ConnectorName.of("no such")).isInstanceOf(InvalidInputException.class);
    // whatever the connector makes of it: the empty target, a pattern, a DN
    assertThat(Target.of("")).hasToString("");
    assertThat(Target.of("cn=a,ou=groups"))
        .isEqualTo(Target.of("cn=a,ou=groups"))
        .isNotEqualTo(Target.of("CN=a,ou=groups"));
    assertThatThrownBy(() -> Target.of(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("target: is required");
  }

  @Test
  void ruleAnswersAreFoundInsideTheExceptionsThatWrapThem() {
    var wrapped =
        new RuntimeException(
            "engine", new IllegalStateException("listener", new ConflictException("not pending")));
    assertThat(RuleAnswer.in(wrapped)).isTrue();
    assertThat(RuleAnswer.in(new RuntimeException(new StepRefusedException("not owed")))).isFalse();
    assertThat(
            RefusedException.in(
                new RuntimeException(new RefusedException("the requester cannot decide"))))
        .map(RefusedException::rule)
        .contains("the requester cannot decide");
  }
}
