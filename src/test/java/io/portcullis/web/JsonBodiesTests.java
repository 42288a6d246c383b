package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The rules of a JSON body, on an ObjectMapper built the way Spring Boot builds its own. */
class JsonBodiesTests {

  record Body(String resource, Duration duration, List<Duration> more) {}

  final ObjectMapper json = mapper();

  static ObjectMapper mapper() {
    Jackson2ObjectMapperBuilder builder = new Jackson2ObjectMapperBuilder();
    new JsonBodies().strictJsonBodies().customize(builder);
    return builder.build();
  }

  @Test
  void readValue_whenADurationIsAnIsoString_thenItIsRead() throws Exception {
    Body body = json.readValue("{\"resource\":\"x\",\"duration\":\"PT1H30M\",\"more\":[\"PT5M\"]}", Body.class);

    assertThat(body.duration()).isEqualTo(Duration.ofMinutes(90));
    assertThat(body.more()).containsExactly(Duration.ofMinutes(5));
  }

  @Test
  void readValue_whenADurationIsNull_thenItIsNull() throws Exception {
    assertThat(json.readValue("{\"duration\":null}", Body.class).duration()).isNull();
  }

  @Test
  void readValue_whenADurationIsANumber_thenRefusedAtItsField() {
    for (String number : List.of("3600", "3600.5", "-1", "0")) {
      assertThatThrownBy(() -> json.readValue("{\"resource\":\"x\",\"duration\":" + number + "}", Body.class))
          .isInstanceOf(MismatchedInputException.class)
          .satisfies(e -> assertThat(((MismatchedInputException) e).getPath().get(0).getFieldName()).isEqualTo("duration"));
    }
  }

  @Test
  void readValue_whenADurationInAListIsANumber_thenRefused() {
    assertThatThrownBy(() -> json.readValue("{\"more\":[\"PT1M\", 60]}", Body.class)).isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void readValue_whenADurationIsAnObjectOrABoolean_thenRefused() {
    assertThatThrownBy(() -> json.readValue("{\"duration\":{\"seconds\":60}}", Body.class)).isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> json.readValue("{\"duration\":true}", Body.class)).isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void readValue_whenAFieldIsUnknown_thenRefusedByName() {
    assertThatThrownBy(() -> json.readValue("{\"resource\":\"x\",\"requester\":\"bob\"}", Body.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .satisfies(e -> assertThat(((UnrecognizedPropertyException) e).getPropertyName()).isEqualTo("requester"));
  }
}
