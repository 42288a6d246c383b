package io.portcullis.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class UsernameTests {

  @Test
  void aNameKeepsItsSpellingAndComparesWithoutCaseByItsKey() {
    Username bob = Username.of("Bob");

    assertThat(bob.value()).isEqualTo("Bob");
    assertThat(bob).hasToString("Bob");
    assertThat(bob.key()).isEqualTo("bob");
    assertThat(bob.sameAs(Username.of("bOB"))).isTrue();
    assertThat(bob.sameAs(Username.of("bobby"))).isFalse();
    assertThat(bob)
        .as("the canonical spelling is the one compared exactly")
        .isNotEqualTo(Username.of("bob"));
  }

  @Test
  void theKeyFoldsWithoutTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr"));
      assertThat(Username.of("IRIS").key()).isEqualTo("iris");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void aNameOutsideThePatternIsRefusedNamingTheField() {
    for (String hostile :
        new String[] {
          "",
          " bob",
          "bob ",
          "*",
          "al*",
          "alice)(uid=*",
          "alice,ou=people",
          "\\2a",
          "alice\u0000",
          "alice\n",
          "-bob",
          "a".repeat(65),
          "'; DROP TABLE x; --"
        }) {
      assertThatThrownBy(() -> Username.of(hostile))
          .as(hostile)
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("username: " + Username.RULE);
      assertThat(Username.valid(hostile)).as(hostile).isEmpty();
    }
    assertThatThrownBy(() -> Username.of(null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Username.of("requester", "*"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("requester: " + Username.RULE);
    assertThat(Username.valid("a".repeat(64))).isPresent();
    assertThat(Username.valid("svc.hr-system@corp")).isPresent();
  }

  @Test
  void anInvalidNameIsAnIllegalArgument() {
    assertThatThrownBy(() -> Username.of("*"))
        .isInstanceOf(IllegalArgumentException.class)
        .isInstanceOf(RuleAnswer.class);
  }
}
