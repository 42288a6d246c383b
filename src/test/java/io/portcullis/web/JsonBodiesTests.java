package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The rules of a JSON body, on an ObjectMapper built the way Spring Boot builds its own. */
class JsonBodiesTests {

  record Body(String resource, Duration duration, List<Duration> more) {}

  record Timed(Instant at, List<Body> bodies) {}

  record Counted(int count, boolean flag, String text) {}

  final ObjectMapper json = mapper();

  static ObjectMapper mapper() {
    Jackson2ObjectMapperBuilder builder = new Jackson2ObjectMapperBuilder();
    new JsonBodies().strictJsonBodies().customize(builder);
    return builder.modulesToInstall(new JavaTimeModule()).build();
  }

  @Test
  void readValue_whenADurationIsAnIsoString_thenItIsRead() throws Exception {
    Body body =
        json.readValue(
            "{\"resource\":\"x\",\"duration\":\"PT1H30M\",\"more\":[\"PT5M\"]}", Body.class);

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
      assertThatThrownBy(
              () -> json.readValue("{\"resource\":\"x\",\"duration\":" + number + "}", Body.class))
          .isInstanceOf(MismatchedInputException.class)
          .satisfies(
              e ->
                  assertThat(((MismatchedInputException) e).getPath().get(0).getFieldName())
                      .isEqualTo("duration"));
    }
  }

  @Test
  void readValue_whenADurationInAListIsANumber_thenRefused() {
    assertThatThrownBy(() -> json.readValue("{\"more\":[\"PT1M\", 60]}", Body.class))
        .isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void readValue_whenADurationIsAnObjectOrABoolean_thenRefused() {
    assertThatThrownBy(() -> json.readValue("{\"duration\":{\"seconds\":60}}", Body.class))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> json.readValue("{\"duration\":true}", Body.class))
        .isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void readValue_whenAKeyIsGivenTwice_thenRefusedNamingIt() {
    // the attack of the finding: a proxy or a log that reads the first key sees another request
    assertThatThrownBy(
            () ->
                json.readValue(
                    "{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\",\"resource\":\"prod-db-readonly\"}",
                    Body.class))
        .isInstanceOf(StreamReadException.class)
        .satisfies(e -> assertThat(JsonBodies.duplicateField(e)).contains("resource"));
    assertThatThrownBy(
            () ->
                json.readValue(
                    "{\"bodies\":[{\"resource\":\"a\"},{\"resource\":\"b\",\"resource\":\"c\"}]}",
                    Timed.class))
        .satisfies(e -> assertThat(JsonBodies.duplicateField(e)).contains("bodies.[1].resource"));
    // a tree (SCIM's bodies) as much as a record
    assertThatThrownBy(() -> json.readTree("{\"Operations\":[{\"value\":true,\"value\":false}]}"))
        .satisfies(e -> assertThat(JsonBodies.duplicateField(e)).contains("Operations.[0].value"));
    assertThat(JsonBodies.duplicateField(new IllegalStateException("Duplicate field 'x'")))
        .isEmpty();
  }

  @Test
  void readValue_whenANumberOrABooleanStandsForText_thenRefusedAtItsField() {
    for (String value : List.of("3600", "36.5", "true", "false", "{\"a\":1}", "[\"x\"]")) {
      assertThatThrownBy(() -> json.readValue("{\"resource\":" + value + "}", Body.class))
          .as(value)
          .isInstanceOf(MismatchedInputException.class)
          .satisfies(
              e ->
                  assertThat(((MismatchedInputException) e).getPath().get(0).getFieldName())
                      .isEqualTo("resource"));
    }
  }

  @Test
  void readValue_whenTextOrAFractionOrNullStandsForANumberOrABoolean_thenRefused()
      throws Exception {
    for (String body :
        List.of(
            "{\"count\":\"3\"}",
            "{\"count\":3.7}",
            "{\"count\":null}",
            "{\"flag\":\"true\"}",
            "{\"flag\":1}",
            "{\"flag\":null}",
            "{\"count\":true}")) {
      assertThatThrownBy(() -> json.readValue(body, Counted.class))
          .as(body)
          .isInstanceOf(MismatchedInputException.class);
    }
    assertThat(json.readValue("{\"count\":3,\"flag\":true,\"text\":\"\"}", Counted.class))
        .isEqualTo(new Counted(3, true, ""));
  }

  @Test
  void readValue_whenAnInstantIsIsoTextWithItsOffset_thenItIsRead() throws Exception {
    assertThat(json.readValue("{\"at\":\"2026-01-01T09:00:00Z\"}", Timed.class).at())
        .isEqualTo(Instant.parse("2026-01-01T09:00:00Z"));
    assertThat(json.readValue("{\"at\":\"2026-01-01T11:00:00.5+02:00\"}", Timed.class).at())
        .isEqualTo(Instant.parse("2026-01-01T09:00:00.5Z"));
    assertThat(json.readValue("{\"at\":null}", Timed.class).at()).isNull();
  }

  /**
   * The finding: "1700000000" was read as seconds since 1970, a date long past, so the offboarding
   * ran now.
   */
  @Test
  void readValue_whenAnInstantIsANumberOrDigitsOrWithoutOffset_thenRefusedAtItsField() {
    for (String value :
        List.of(
            "\"1700000000\"",
            "1700000000",
            "1700000000.5",
            "\"1700000000.5\"",
            "\"\"",
            "\" \"",
            "\"2026-01-01T09:00:00\"",
            "\"2026-01-01\"",
            "\"tomorrow\"",
            "true",
            "{}")) {
      assertThatThrownBy(() -> json.readValue("{\"at\":" + value + "}", Timed.class))
          .as(value)
          .isInstanceOf(MismatchedInputException.class)
          .satisfies(
              e ->
                  assertThat(((MismatchedInputException) e).getPath().get(0).getFieldName())
                      .isEqualTo("at"));
    }
  }

  @Test
  void readValue_whenADurationIsEmptyText_thenRefused() {
    assertThatThrownBy(() -> json.readValue("{\"duration\":\"\"}", Body.class))
        .isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void readValue_whenSomethingFollowsTheBody_thenRefused() {
    assertThatThrownBy(
            () -> json.readValue("{\"resource\":\"x\"} {\"resource\":\"y\"}", Body.class))
        .isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void readValue_whenAFieldIsUnknown_thenRefusedByName() {
    assertThatThrownBy(
            () -> json.readValue("{\"resource\":\"x\",\"requester\":\"bob\"}", Body.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .satisfies(
            e ->
                assertThat(((UnrecognizedPropertyException) e).getPropertyName())
                    .isEqualTo("requester"));
  }
}
