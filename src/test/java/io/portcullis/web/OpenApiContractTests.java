package io.portcullis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The published OpenAPI document is the API's contract: it is committed ({@code
 * src/test/resources/openapi.json}), and a change to the API that changes it fails here until the
 * snapshot is updated in the same commit. On drift the new document is written to {@code
 * target/openapi.json}; {@code -Dopenapi.update=true} writes it over the snapshot instead.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
class OpenApiContractTests {

  static final Path SNAPSHOT = Path.of("src/test/resources/openapi.json");
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @LocalServerPort int port;

  @Test
  void thePublishedDocumentIsTheCommittedOne() throws IOException {
    JsonNode published = published();
    String written = JSON.writeValueAsString(JSON.treeToValue(published, Object.class)) + "\n";
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(SNAPSHOT, written);
    }
    JsonNode committed = Files.exists(SNAPSHOT) ? JSON.readTree(SNAPSHOT.toFile()) : null;
    if (!published.equals(committed)) {
      Path drift = Path.of("target/openapi.json");
      Files.createDirectories(drift.getParent());
      Files.writeString(drift, written);
      assertThat(published)
          .as(
              "the API changed: compare "
                  + drift
                  + " with "
                  + SNAPSHOT
                  + " and copy it over (or run with -Dopenapi.update=true) in the same commit")
          .isEqualTo(committed);
    }
  }

  @Test
  void everyOperationDeclaresItsSecurityAndItsProblems() throws IOException {
    JsonNode document = published();
    assertThat(document.at("/components/securitySchemes/basicAuth/type").asText())
        .isEqualTo("http");
    assertThat(document.at("/components/securitySchemes/basicAuth/scheme").asText())
        .isEqualTo("basic");
    assertThat(
            document
                .at(
                    "/components/responses/Unauthorized/content/application~1problem+json/schema/$ref")
                .asText())
        .isEqualTo("#/components/schemas/Problem");

    List<String> wrong = new ArrayList<>();
    int operations = 0;
    for (var paths = document.path("paths").fields(); paths.hasNext(); ) {
      var path = paths.next();
      for (var methods = path.getValue().fields(); methods.hasNext(); ) {
        var method = methods.next();
        JsonNode operation = method.getValue();
        String name = method.getKey().toUpperCase() + " " + path.getKey();
        operations++;
        if (!operation.path("security").toString().contains("\"basicAuth\"")) {
          wrong.add(name + ": no security");
        }
        List<String> expected = new ArrayList<>(List.of("400", "401", "403", "406", "429"));
        if (path.getKey().contains("{")) {
          expected.add("404");
        }
        if (!method.getKey().equals("get")) {
          expected.add("415");
        }
        for (String status : expected) {
          JsonNode response = operation.path("responses").path(status);
          String ref = response.path("$ref").asText();
          JsonNode resolved = ref.isEmpty() ? response : document.at(ref.substring(1));
          if (!resolved.path("content").has("application/problem+json")) {
            wrong.add(name + ": no " + status + " as problem details");
          }
          // each status shows its own problem body, not one 400 for all
          JsonNode example = resolved.at("/content/application~1problem+json/example");
          if (!ref.isEmpty()
              && (example.path("status").asInt() != Integer.parseInt(status)
                  || example.path("detail").asText().isBlank())) {
            wrong.add(name + ": the example of its " + status + " is " + example);
          }
        }
      }
    }
    assertThat(operations).isGreaterThanOrEqualTo(10);
    assertThat(wrong).isEmpty();
  }

  private JsonNode published() {
    Answer answer = new Door(port).call("GET", "/v3/api-docs").as("alice").send();
    assertThat(answer.status()).isEqualTo(200);
    JsonNode document = answer.json();
    // the server's address is the test's random port, not part of the contract
    ((ObjectNode) document).remove("servers");
    return document;
  }
}
