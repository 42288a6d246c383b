package io.portcullis.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every error of {@code /api} must look like, whoever answers it (Tomcat, Spring Security,
 * Spring MVC, a controller): RFC 9457 problem details with the right status, a title and a detail,
 * the field named where one is at fault, and nothing of the implementation. The end-to-end tests
 * check answers at the door with it, the {@link ApiSliceTest} slices the controllers' own answers.
 */
public final class Problems {

  /**
   * What a leak looks like: a stack frame, an exception's class name, a package of ours or of a
   * framework.
   */
  public static final Pattern LEAK =
      Pattern.compile(
          "\\tat |Exception|\\bio\\.portcullis|org\\.(springframework|apache|camunda|operaton)|com\\.fasterxml|java\\.(lang|util|io)|jakarta\\.");

  private Problems() {}

  /**
   * What is wrong with this answer as the problem details of {@code status} (naming {@code field}
   * when it is not null), each as a line that says what was seen; empty when nothing is.
   */
  public static List<String> check(String name, Door.Answer answer, int status, String field) {
    List<String> wrong = new ArrayList<>();
    String seen = name + ": " + answer.status() + " " + answer.contentType() + " " + answer.body();
    if (answer.status() != status) {
      wrong.add(seen + " (expected " + status + ")");
    }
    if (!answer.contentType().startsWith("application/problem+json")) {
      wrong.add(seen + " (not problem+json)");
      return wrong;
    }
    JsonNode problem = answer.json();
    if (problem.path("status").asInt() != answer.status()
        || problem.path("title").asText().isBlank()
        || problem.path("detail").asText().isBlank()) {
      wrong.add(seen + " (status, title or detail missing)");
    }
    if (LEAK.matcher(answer.body()).find()) {
      wrong.add(seen + " (leaks the implementation)");
    }
    if (field != null
        && (!problem.path("detail").asText().startsWith(field + ":")
            || !field.equals(problem.path("errors").path(0).path("field").asText()))) {
      wrong.add(seen + " (does not name " + field + ")");
    }
    return wrong;
  }
}
