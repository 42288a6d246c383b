package io.portcullis.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccessDurationTests {

  static final ResourceId STAGING = ResourceId.of("staging-db-admin");

  @Test
  void isoTextIsReadOnceWithOneWording() {
    assertThat(AccessDuration.of("PT2H").value()).isEqualTo(Duration.ofHours(2));
    assertThat(AccessDuration.of(" PT30M ").value())
        .as("blanks around it, as a JSON body's")
        .isEqualTo(Duration.ofMinutes(30));
    assertThat(AccessDuration.of("PT2H")).hasToString("PT2H");
    for (String text : new String[] {"two hours", "", "2H", "P", "PT2H junk"}) {
      assertThatThrownBy(() -> AccessDuration.of(text))
          .as(text)
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("duration: is not an ISO-8601 duration such as PT2H");
    }
    assertThatThrownBy(() -> AccessDuration.read("deadline", "soon"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("deadline: is not an ISO-8601 duration such as PT2H");
  }

  @Test
  void aVariableIsADurationOrTextOrNothing() {
    assertThat(AccessDuration.from(null)).isNull();
    assertThat(AccessDuration.from(Duration.ofMinutes(5)))
        .isEqualTo(AccessDuration.of(Duration.ofMinutes(5)));
    assertThat(AccessDuration.from("PT5M")).isEqualTo(AccessDuration.of(Duration.ofMinutes(5)));
    assertThatThrownBy(() -> AccessDuration.from(42)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> AccessDuration.of((Duration) null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("duration: is required, as an ISO-8601 duration such as PT2H");
  }

  @Test
  void theBoundsOfAResourceAreCheckedHere() {
    Duration min = Duration.ofMinutes(1);
    Duration max = Duration.ofHours(8);

    assertThat(AccessDuration.of("PT8H").within(min, max, STAGING))
        .isEqualTo(AccessDuration.of("PT8H"));
    assertThat(AccessDuration.of("PT1M").within(min, max, STAGING))
        .isEqualTo(AccessDuration.of("PT1M"));
    assertThatThrownBy(() -> AccessDuration.of("PT59S").within(min, max, STAGING))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("duration: must be at least PT1M");
    assertThatThrownBy(() -> AccessDuration.of("PT8H0.001S").within(min, max, STAGING))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("duration: must be at most PT8H for staging-db-admin");
    assertThatThrownBy(() -> AccessDuration.of("-PT1H").within(min, max, STAGING))
        .hasMessage("duration: must be at least PT1M");
  }

  @Test
  void durationsCompare() {
    assertThat(AccessDuration.of("PT2H").longerThan(AccessDuration.of("PT1H"))).isTrue();
    assertThat(AccessDuration.of("PT1H").shorterThan(AccessDuration.of("PT2H"))).isTrue();
    assertThat(AccessDuration.of("PT60M")).isEqualTo(AccessDuration.of("PT1H"));
  }
}
