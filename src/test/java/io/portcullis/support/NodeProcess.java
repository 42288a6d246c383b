package io.portcullis.support;

import static org.awaitility.Awaitility.await;

import io.portcullis.PortcullisApplication;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Another Portcullis node in a JVM of its own, on the test class path, so that it can be measured
 * apart or killed hard. Its output goes to {@code target/<name>.log}.
 */
public final class NodeProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private NodeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts a node with these Spring profiles and arguments on a free port, and waits until it is
   * ready.
   *
   * @param jvmOptions options of the node's JVM, such as {@code -Xmx512m}
   */
  public static NodeProcess start(
      String name, String profiles, List<String> jvmOptions, List<String> arguments)
      throws IOException {
    return start(name, List.of(), profiles, jvmOptions, arguments);
  }

  /**
   * Starts a node as {@link #start(String, String, List, List)} does, its JVM run by a launcher
   * such as {@code taskset -c 1} (to pin it to one core).
   */
  public static NodeProcess start(
      String name,
      List<String> launcher,
      String profiles,
      List<String> jvmOptions,
      List<String> arguments)
      throws IOException {
    NodeProcess node = launch(name, launcher, profiles, jvmOptions, arguments);
    Process process = node.process;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    await(name + " ready")
        .atMost(Duration.ofMinutes(8))
        .pollInterval(Duration.ofMillis(500))
        .failFast(name + " exited: see target/" + name + ".log", () -> !process.isAlive())
        .until(() -> status(http, node.url() + "/actuator/health/readiness") == 200);
    return node;
  }

  private static NodeProcess launch(
      String name,
      List<String> launcher,
      String profiles,
      List<String> jvmOptions,
      List<String> arguments)
      throws IOException {
    int port = freePort();
    // the test class path without empty entries (an empty entry is the working directory, whose
    // processes/ folder would then be deployed a second time beside target/classes/processes)
    String classPath =
        Arrays.stream(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"))
                    .split(File.pathSeparator))
            .filter(entry -> !entry.isBlank() && !entry.equals("."))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            classPath,
            PortcullisApplication.class.getName(),
            "--spring.profiles.active=" + profiles,
            "--server.port=" + port));
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command)
            .directory(new File("target"))
            .redirectErrorStream(true)
            .redirectOutput(new File("target/" + name + ".log").getAbsoluteFile())
            .start();
    return new NodeProcess(process, port);
  }

  /**
   * Starts a node that is expected not to start: waits until its JVM has ended, and returns what it
   * logged.
   *
   * @throws AssertionError when it becomes ready instead, or is still running after the timeout
   */
  public static String startRefused(
      String name,
      String profiles,
      List<String> jvmOptions,
      List<String> arguments,
      Duration timeout)
      throws IOException, InterruptedException {
    NodeProcess node = launch(name, List.of(), profiles, jvmOptions, arguments);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      await(name + " ended")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(500))
          .failFast(
              name + " became ready: see target/" + name + ".log",
              () -> status(http, node.url() + "/actuator/health/readiness") == 200)
          .until(() -> !node.process.isAlive());
    } finally {
      node.close();
    }
    return Files.readString(Path.of("target", name + ".log"));
  }

  public String url() {
    return "http://localhost:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the node's JVM to end; false when it is still running after the timeout. */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The CPU time the node's JVM has used so far, in milliseconds. */
  public double cpuMillis() {
    return process
        .toHandle()
        .info()
        .totalCpuDuration()
        .map(d -> d.toNanos() / 1e6)
        .orElse(Double.NaN);
  }

  /** Kills the node hard, as a crash would. */
  @Override
  public void close() {
    process.destroyForcibly();
  }

  /**
   * Asks the node's JVM to shut down as a SIGTERM does (its shutdown hooks run: a flight recording
   * is written), and kills it when it has not ended within the timeout.
   */
  public void stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!waitFor(timeout)) {
      process.destroyForcibly();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
