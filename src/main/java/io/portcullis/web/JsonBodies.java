package io.portcullis.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.DurationDeserializer;
import java.io.IOException;
import java.time.Duration;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a JSON body of Portcullis' API may hold, for every body of every endpoint (Spring's own
 * ObjectMapper; the engine's REST API and the webapps keep Camunda's):
 * <ul>
 *   <li>only the fields its endpoint declares: a field that is not one ({@code "requester": "bob"}) is
 *       refused, not ignored, since a client that sends it believes it means something;
 *   <li>a duration only as an ISO-8601 string ({@code "PT2H"}): a number would need a unit that the
 *       client can only guess (Jackson reads seconds), so it is refused.
 * </ul>
 * Both are answered 400 naming the field ({@link ProblemDetailsAdvice}).
 */
@Configuration(proxyBeanMethods = false)
class JsonBodies {

  @Bean
  Jackson2ObjectMapperBuilderCustomizer strictJsonBodies() {
    // a deserializer set here is registered after Jackson's java.time module, so it wins for Duration
    return builder -> builder.failOnUnknownProperties(true).deserializerByType(Duration.class, new IsoDurationOnly());
  }

  /** Jackson's own reading of an ISO-8601 string; any other JSON value is a mismatch at its field. */
  static final class IsoDurationOnly extends StdScalarDeserializer<Duration> {

    IsoDurationOnly() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (parser.hasToken(JsonToken.VALUE_STRING)) {
        return DurationDeserializer.INSTANCE.deserialize(parser, context);
      }
      return (Duration) context.handleUnexpectedToken(Duration.class, parser);
    }
  }
}
