package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one way of writing JSON that the hashes depend on. */
class CanonicalJsonTest {

  @Test
  void keysAreSortedAtEveryLevelWithoutWhitespace() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", Arrays.asList(true, null, "x"));
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("b", inner);
    outer.put("B", Map.of());
    outer.put("a", List.of());
    assertThat(CanonicalJson.write(outer))
        .isEqualTo("{\"B\":{},\"a\":[],\"b\":{\"a\":[true,null,\"x\"],\"z\":1}}");
  }

  @Test
  void onlyQuotesBackslashesControlCharactersAndLoneSurrogatesAreEscaped() {
    assertThat(CanonicalJson.write("a\"b\\c/d\n\r\t\b\f\u0001\u001f ü ✓ 🔐 \ud800x"))
        .isEqualTo("\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\\u0001\\u001f ü ✓ 🔐 \\ud800x\"");
  }

  @Test
  void numbersAreWrittenOneWay() {
    assertThat(CanonicalJson.write(List.of(1, -2L, new BigDecimal("1.50"), 2.0, 1e20, Double.NaN)))
        .isEqualTo("[1,-2,1.5,2,100000000000000000000,\"NaN\"]");
  }

  @Test
  void otherValuesAreWrittenAsTheirText() {
    assertThat(
            CanonicalJson.write(
                List.of(
                    Instant.parse("2026-03-02T09:00:00Z"), Duration.ofHours(2), Thread.State.NEW)))
        .isEqualTo("[\"2026-03-02T09:00:00Z\",\"PT2H\",\"NEW\"]");
  }
}
