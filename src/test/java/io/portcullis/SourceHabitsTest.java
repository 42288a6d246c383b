package io.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the formatter does not check: a type is named by its simple name with an import, never
 * spelled out in the code (`./mvnw spotless:apply` formats and orders imports; `spotless:check`
 * runs in verify). A fully qualified name stays only where two types of one simple name meet in a
 * file, or in text (a string, a comment).
 */
class SourceHabitsTest {

  private static final Pattern QUALIFIED =
      Pattern.compile(
          "(?<![\\w.@#])(?:java|javax|jakarta|org|io|com)\\.(?:[a-z0-9_]+\\.)+([A-Z]\\w*)");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?[\\w.]+\\.([A-Z]\\w*)(?:\\.\\w+)?;", Pattern.MULTILINE);

  @Test
  void noTypeIsNamedByItsFullyQualifiedNameInCode() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path root : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          found.addAll(qualifiedNamesIn(file));
        }
      }
    }
    assertThat(found).as("import these instead (a clash of simple names is allowed)").isEmpty();
  }

  @Test
  void theCheckFindsAQualifiedNameAndAllowsAClash() {
    assertThat(qualified("class A { java.util.List<String> names; }"))
        .containsExactly("java.util.List");
    assertThat(qualified("import java.util.List;\nclass A { java.awt.List box; }")).isEmpty();
    assertThat(qualified("class A { String s = \"java.util.List\"; // java.util.Map\n }"))
        .isEmpty();
  }

  private static List<String> qualifiedNamesIn(Path file) throws IOException {
    return qualified(Files.readString(file)).stream().map(name -> file + ": " + name).toList();
  }

  private static List<String> qualified(String source) {
    Set<String> imported =
        IMPORT.matcher(source).results().map(m -> m.group(1)).collect(Collectors.toSet());
    String code = withoutTextAndComments(source);
    List<String> found = new ArrayList<>();
    for (String line : code.split("\n")) {
      if (line.startsWith("import ") || line.startsWith("package ")) {
        continue;
      }
      Matcher m = QUALIFIED.matcher(line);
      while (m.find()) {
        if (!imported.contains(m.group(1))) {
          found.add(m.group());
        }
      }
    }
    return found;
  }

  /**
   * The code alone: string and character literals, text blocks and comments blanked, lines kept.
   */
  private static String withoutTextAndComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        i = blank(source, out, i, end < 0 ? source.length() : end + 3);
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < source.length() && source.charAt(j) != c && source.charAt(j) != '\n') {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        i = blank(source, out, i, Math.min(j + 1, source.length()));
      } else if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = blank(source, out, i, end < 0 ? source.length() : end);
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = blank(source, out, i, end < 0 ? source.length() : end + 2);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int blank(String source, StringBuilder out, int from, int to) {
    for (int k = from; k < to; k++) {
      out.append(source.charAt(k) == '\n' ? '\n' : ' ');
    }
    return to;
  }
}
