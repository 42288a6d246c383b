package io.portcullis.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.InvalidInputException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * What a JSON body may hold, at every door Portcullis parses: {@code /api} and SCIM alike, since
 * both read their bodies with Spring's ObjectMapper, which this configures (the engine's REST API
 * and the webapps keep Camunda's own). A body means exactly one thing, and the one a proxy, a log
 * or a signature reads is the one Portcullis acts on:
 *
 * <ul>
 *   <li>a key given twice ({@code "resource": "staging-db-admin", ..., "resource":
 *       "prod-db-readonly"}) is refused, not taken with its last value;
 *   <li>only the fields its endpoint declares: a field that is not one ({@code "requester": "bob"})
 *       is refused, not ignored, since a client that sends it believes it means something;
 *   <li>no value is turned into another type: a number or a boolean where text is expected, text
 *       where a number or a boolean is, a fraction for a whole number, {@code null} for a number or
 *       an empty text for a time;
 *   <li>a duration only as an ISO-8601 string ({@code "PT2H"}) and an instant only as ISO-8601 text
 *       with its offset ({@code "2026-01-01T09:00:00Z"}): a number, or digits as text, would need a
 *       unit the client can only guess (Jackson reads seconds), so they are refused;
 *   <li>nothing after the body, and a body is not the JSON {@code null} ({@link NoNullBody}).
 * </ul>
 *
 * Each is answered 400 naming the field ({@link ProblemDetailsAdvice}; SCIM's advice in its words).
 */
@Configuration(proxyBeanMethods = false)
public class JsonBodies {

  private static final String DUPLICATE = "Duplicate field";

  @Bean
  Jackson2ObjectMapperBuilderCustomizer strictJsonBodies() {
    // a deserializer set here is registered after Jackson's java.time module, so it wins for its
    // type
    return builder ->
        builder
            .failOnUnknownProperties(true)
            .featuresToEnable(
                JsonParser.Feature.STRICT_DUPLICATE_DETECTION,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .featuresToDisable(
                MapperFeature.ALLOW_COERCION_OF_SCALARS, DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .deserializerByType(Duration.class, new IsoDurationOnly())
            .deserializerByType(Instant.class, new IsoInstantOnly())
            .postConfigurer(JsonBodies::noCoercion);
  }

  /**
   * Jackson's coercions that {@code ALLOW_COERCION_OF_SCALARS} leaves on: into text (a number or a
   * boolean read as its digits or its word), and an empty text read as nothing.
   */
  static void noCoercion(ObjectMapper mapper) {
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigDefaults()
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setAcceptBlankAsEmpty(false);
  }

  /**
   * The field a body names twice, as a path ({@code resource}, {@code Operations.[0].value}), when
   * that is why it could not be read.
   */
  public static Optional<String> duplicateField(Throwable unreadable) {
    for (Throwable t = unreadable; t != null; t = t.getCause()) {
      if (t instanceof StreamReadException e
          && e.getOriginalMessage() != null
          && e.getOriginalMessage().startsWith(DUPLICATE)
          && e.getProcessor() != null) {
        Deque<String> path = new ArrayDeque<>();
        for (JsonStreamContext c = e.getProcessor().getParsingContext();
            c != null && !c.inRoot();
            c = c.getParent()) {
          path.push(
              c.inArray() ? "[" + c.getCurrentIndex() + "]" : String.valueOf(c.getCurrentName()));
        }
        return Optional.of(path.isEmpty() ? "body" : String.join(".", path));
      }
    }
    return Optional.empty();
  }

  /**
   * An ISO-8601 string, read by the one reading of duration text ({@link AccessDuration#read}); any
   * other JSON value, and text that is no duration, is a mismatch at its field.
   */
  static final class IsoDurationOnly extends StdScalarDeserializer<Duration> {

    IsoDurationOnly() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.hasToken(JsonToken.VALUE_STRING) && !parser.getText().isBlank()) {
        String text = parser.getText();
        try {
          return AccessDuration.read(AccessDuration.FIELD, text);
        } catch (InvalidInputException notIso) {
          return (Duration)
              context.handleWeirdStringValue(Duration.class, text, "not an ISO-8601 duration");
        }
      }
      return (Duration) context.handleUnexpectedToken(Duration.class, parser);
    }
  }

  /**
   * An instant as ISO-8601 text with its offset ({@code Z} or {@code +02:00}), nothing else:
   * Jackson's own reader also takes a number, and digits as text, as seconds (or milliseconds)
   * since 1970, so an offboarding's {@code "effectiveAt": "1700000000"} meant a date in 2023, that
   * is: now.
   */
  static final class IsoInstantOnly extends StdScalarDeserializer<Instant> {

    IsoInstantOnly() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (!parser.hasToken(JsonToken.VALUE_STRING)) {
        return (Instant) context.handleUnexpectedToken(Instant.class, parser);
      }
      String text = parser.getText();
      try {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, OffsetDateTime::from).toInstant();
      } catch (DateTimeParseException e) {
        return (Instant)
            context.handleWeirdStringValue(
                Instant.class, text, "not an ISO-8601 instant with an offset");
      }
    }
  }

  /**
   * A body that is the JSON {@code null}: Jackson reads it as no object at all, which an endpoint
   * whose body may be left out would take as an empty one. A body that is sent must be a value.
   */
  @ControllerAdvice
  static class NoNullBody extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(
        MethodParameter parameter,
        Type targetType,
        Class<? extends HttpMessageConverter<?>> converterType) {
      return true;
    }

    @Override
    public Object afterBodyRead(
        Object body,
        HttpInputMessage inputMessage,
        MethodParameter parameter,
        Type targetType,
        Class<? extends HttpMessageConverter<?>> converterType) {
      if (body == null) {
        throw new InvalidInputException(
            "body", "is the JSON null; send an object, or no body where one is optional");
      }
      return body;
    }
  }
}
