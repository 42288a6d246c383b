package io.portcullis.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/FastStart.java as a user runs it: a JDK and the source file. Its real work (a training run,
 * a measurement) takes minutes and is shown in the README; these check that it compiles, refuses
 * what it must, and reports a product that never gets ready instead of waiting for it.
 */
class FastStartToolTests {

  @Test
  void help_whenAsked_thenPrintsBothCommands() throws Exception {
    Tool tool = Tool.run("--help");

    assertThat(tool.exitCode()).isZero();
    assertThat(tool.output()).contains("FastStart.java prepare").contains("FastStart.java measure");
  }

  @Test
  void prepare_whenTheDestinationHoldsSomethingElse_thenRefusesAndLeavesItAlone(@TempDir Path dir)
      throws Exception {
    Path mine = Files.writeString(dir.resolve("notes.txt"), "mine");

    Tool tool = Tool.run("prepare", "--destination", dir.toString());

    assertThat(tool.exitCode()).isEqualTo(2);
    assertThat(tool.output()).contains("holds something else");
    assertThat(mine).hasContent("mine");
  }

  @Test
  void measure_whenTheCommandExitsBeforeItIsReady_thenSaysSoAndFails() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    Tool tool = Tool.run("measure", "--runs", "1", "--", java, "-version");

    assertThat(tool.exitCode()).isEqualTo(1);
    assertThat(tool.output()).contains("not ready after").contains("alive: false");
  }

  record Tool(int exitCode, String output) {
    static Tool run(String... args) throws Exception {
      String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(launcher, "tools/FastStart.java"));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
      return new Tool(process.exitValue(), output);
    }
  }
}
