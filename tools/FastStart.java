import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts Portcullis fast, and measures how fast it starts, with nothing but a JDK 17 (README, "Starting
 * fast"). It builds nothing: package first ({@code ./mvnw -B -ntp -DskipTests package}).
 *
 * <pre>
 *   java tools/FastStart.java prepare          # target/fast-start: the jar extracted, and its class-data archive
 *   java -XX:SharedArchiveFile=target/fast-start/portcullis.jsa -XX:TieredStopAtLevel=1 -jar target/fast-start/portcullis.jar
 *
 *   java tools/FastStart.java measure                          # java -jar target/portcullis-*.jar, 3 runs
 *   java tools/FastStart.java measure --runs 5 -- java -jar target/portcullis-0.1.0-SNAPSHOT.jar \
 *        --vs java -XX:SharedArchiveFile=target/fast-start/portcullis.jsa -XX:TieredStopAtLevel=1 -jar target/fast-start/portcullis.jar
 * </pre>
 *
 * <p><b>prepare</b> [--jar JAR] [--destination DIR] does what Spring Boot's documentation gives for
 * class-data sharing (CDS): extracts the packaged jar ({@code java -Djarmode=tools -jar JAR extract}),
 * so that classes load from plain jars instead of a jar nested in a jar, to {@code DIR/portcullis.jar}
 * and {@code DIR/lib/} (default {@code target/fast-start}); then a training run of that layout with
 * {@code -XX:ArchiveClassesAtExit=DIR/portcullis.jsa}: the demo started whole, in a new directory on
 * free ports, a first request as alice, then stopped; the JVM writes every class it loaded, parsed and
 * verified, into the archive as it exits. Training through the first request (rather than Spring's
 * {@code -Dspring.context.exit=onRefresh}) puts the classes of Tomcat's start, the security filters and
 * the login in the archive too. The archive fits only the JVM that wrote it (the same build, the one
 * running this tool) and the same jars: prepare again after each package or JDK update; a JVM that
 * cannot use it says so in a warning and starts without it.
 *
 * <p><b>measure</b> [--runs N] [--requests N] [--timeout S] [--keep] [--user NAME:PASSWORD]
 * [-- COMMAND... [--vs COMMAND...]] starts the command (default {@code java -jar target/portcullis-*.jar})
 * in a new, empty working directory (so {@code ./data}, the demo's H2 file, is new: the first start of a
 * new installation, with every table and deployment made), on a free HTTP port and a free port for the
 * embedded directory (appended as {@code --server.port} and {@code --spring.ldap.embedded.port}), and
 * records from the moment it launches the JVM:
 * <ul>
 *   <li>{@code answer}: the first HTTP answer of any status on {@code /actuator/health/readiness};
 *   <li>{@code ready}: the first {@code 200} of {@code /actuator/health/readiness} (the database and
 *       the directory answer, start-up is over): the figure to quote;
 *   <li>{@code cpu}: the process' CPU seconds (user + system, every thread) at {@code ready};
 *   <li>{@code get1}, {@code get2}: the first and the second {@code GET /api/access-requests} as the demo
 *       user alice (HTTP Basic, so each one logs in against the directory), right after {@code ready},
 *       each timed alone;
 *   <li>{@code nextN}: the N ({@code --requests}, default 50) requests after those, one after the
 *       other, in all (the warm-up a node goes through: a JVM that starts faster but compiles worse
 *       shows here);
 *   <li>{@code rss}: the resident memory at {@code ready}.
 * </ul>
 * Then it stops the process with SIGTERM and waits for it. With {@code --vs} the two commands run in
 * turn, A B A B ..., so that both meet the same drift of a shared machine; it prints each figure's
 * median, minimum and maximum per command, and the ratio B/A of the medians. Paths in a command
 * ({@code -jar}, {@code -cp}, {@code -XX:SharedArchiveFile=}) are taken from the directory it is called
 * from. The product's output of each run goes to {@code out.log} in that run's directory, which is
 * removed unless {@code --keep} is given (or the run failed). Exit code 0, or 1 when a run did not get
 * ready within {@code --timeout} seconds (default 180) or a first request did not answer 200.
 *
 * <p>Readiness is polled every 20 ms (one cheap local request), so a figure is at most 20 ms late.
 */
public class FastStart {

  static final Duration POLL = Duration.ofMillis(20);
  static final String DEMO_USER = "alice:alice-demo";

  record Figures(double answer, double ready, double cpu, double get1, double get2, double nextN, double rssMb) {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      usage();
      return;
    }
    List<String> rest = List.of(args).subList(1, args.length);
    switch (args[0]) {
      case "prepare" -> System.exit(prepare(rest));
      case "measure" -> System.exit(measure(rest));
      default -> {
        usage();
        System.exit(2);
      }
    }
  }

  // ---------------------------------------------------------------------------------------- prepare

  static int prepare(List<String> args) throws Exception {
    Path jar = null;
    Path destination = Path.of("target", "fast-start");
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--jar" -> jar = Path.of(args.get(++i));
        case "--destination" -> destination = Path.of(args.get(++i));
        default -> {
          usage();
          return 2;
        }
      }
    }
    destination = destination.toAbsolutePath();
    if (Files.isDirectory(destination) && !isEmpty(destination) && !Files.exists(destination.resolve("portcullis.jar"))) {
      System.out.printf("%s holds something else than a layout this tool made: give another --destination%n", destination);
      return 2;
    }
    if (jar == null) jar = defaultJar();
    String java = javaCommand();
    if (Files.isDirectory(destination)) deleteTree(destination);

    System.out.printf("extracting %s to %s%n", jar, destination);
    int extracted = new ProcessBuilder(java, "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract",
        "--destination", destination.toString(), "--application-filename", "portcullis.jar").inheritIO().start().waitFor();
    if (extracted != 0) {
      System.out.println("extracting failed");
      return 1;
    }

    Path archive = destination.resolve("portcullis.jsa");
    System.out.printf("training run: the demo started whole, a first request, then stopped; the JVM writes %s%n", archive);
    Started training = Started.launch(List.of(java, "-XX:ArchiveClassesAtExit=" + archive, "-jar",
        destination.resolve("portcullis.jar").toString()), Duration.ofMinutes(5));
    if (training == null) return 1;
    boolean answered = training.get("/api/access-requests", DEMO_USER) == 200
        && training.get("/api/catalog", DEMO_USER) == 200;
    int exit = training.stop();
    if (!answered || !Files.isRegularFile(archive)) {
      System.out.printf("training failed (first requests answered: %s, exit %d, archive written: %s); its output: %s%n",
          answered, exit, Files.isRegularFile(archive), training.log());
      return 1;
    }
    training.delete();
    Path relative = Path.of("").toAbsolutePath().relativize(destination);
    System.out.printf("done: %s (%d MB). Start it with%n  java -XX:SharedArchiveFile=%s -XX:TieredStopAtLevel=1 -jar %s%n",
        archive.getFileName(), Files.size(archive) >> 20, relative.resolve("portcullis.jsa"), relative.resolve("portcullis.jar"));
    return 0;
  }

  // ---------------------------------------------------------------------------------------- measure

  static int measure(List<String> args) throws Exception {
    int runs = 3;
    int timeout = 180;
    int requests = 50;
    boolean keep = false;
    String user = DEMO_USER;
    List<String> a = new ArrayList<>();
    List<String> b = null;
    int i = 0;
    options:
    for (; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--runs" -> runs = Integer.parseInt(args.get(++i));
        case "--timeout" -> timeout = Integer.parseInt(args.get(++i));
        case "--requests" -> requests = Integer.parseInt(args.get(++i));
        case "--keep" -> keep = true;
        case "--user" -> user = args.get(++i);
        case "--" -> {
          i++;
          break options;
        }
        default -> {
          usage();
          return 2;
        }
      }
    }
    for (; i < args.size(); i++) {
      if (args.get(i).equals("--vs")) {
        b = new ArrayList<>();
      } else {
        (b == null ? a : b).add(args.get(i));
      }
    }
    if (a.isEmpty()) a = List.of("java", "-jar", defaultJar().toString());
    List<List<String>> commands = b == null ? List.of(a) : List.of(a, b);
    List<List<Figures>> results = new ArrayList<>();
    for (int k = 0; k < commands.size(); k++) results.add(new ArrayList<>());

    System.out.printf("%s; %d cores; load average %s%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage());
    for (int k = 0; k < commands.size(); k++) System.out.printf("%s: %s%n", name(k), String.join(" ", commands.get(k)));
    boolean failed = false;
    for (int run = 1; run <= runs; run++) {
      for (int k = 0; k < commands.size(); k++) {
        Figures f = measureOnce(commands.get(k), Duration.ofSeconds(timeout), keep, user, requests);
        if (f == null) {
          failed = true;
          continue;
        }
        results.get(k).add(f);
        System.out.printf(Locale.ROOT,
            "run %d %s: answer %.2f s, ready %.2f s, cpu %.1f s, get1 %.0f ms, get2 %.0f ms, next%d %.0f ms, rss %.0f MB (load %s)%n",
            run, name(k), f.answer, f.ready, f.cpu, f.get1, f.get2, requests, f.nextN, f.rssMb, loadAverage());
      }
    }
    System.out.println();
    System.out.println("median (min-max) of " + runs + " runs; load average at the end " + loadAverage());
    for (int k = 0; k < commands.size(); k++) {
      List<Figures> r = results.get(k);
      if (r.isEmpty()) continue;
      System.out.printf(Locale.ROOT, "%s: ready %s s | cpu %s s | answer %s s | get1 %s ms | get2 %s ms | next%d %s ms | rss %s MB%n",
          name(k), stat(r, Figures::ready, "%.2f"), stat(r, Figures::cpu, "%.1f"), stat(r, Figures::answer, "%.2f"),
          stat(r, Figures::get1, "%.0f"), stat(r, Figures::get2, "%.0f"), requests, stat(r, Figures::nextN, "%.0f"),
          stat(r, Figures::rssMb, "%.0f"));
    }
    if (commands.size() == 2 && !results.get(0).isEmpty() && !results.get(1).isEmpty()) {
      System.out.printf(Locale.ROOT, "B/A of the medians: ready %.2f, cpu %.2f, get1 %.2f, get2 %.2f, next%d %.2f, rss %.2f%n",
          ratio(results, Figures::ready), ratio(results, Figures::cpu), ratio(results, Figures::get1),
          ratio(results, Figures::get2), requests, ratio(results, Figures::nextN), ratio(results, Figures::rssMb));
    }
    return failed ? 1 : 0;
  }

  static Figures measureOnce(List<String> command, Duration timeout, boolean keep, String user, int requests)
      throws Exception {
    Started started = Started.launch(command, timeout);
    if (started == null) return null;
    boolean ok = false;
    try {
      long t = System.nanoTime();
      int s1 = started.get("/api/access-requests", user);
      double get1 = (System.nanoTime() - t) / 1e6;
      t = System.nanoTime();
      int s2 = started.get("/api/access-requests", user);
      double get2 = (System.nanoTime() - t) / 1e6;
      t = System.nanoTime();
      int s3 = 200;
      for (int n = 0; n < requests && s3 == 200; n++) s3 = started.get("/api/access-requests", user);
      double nextN = (System.nanoTime() - t) / 1e6;
      if (s1 != 200 || s2 != 200 || s3 != 200) {
        System.out.printf("GET /api/access-requests answered %d, %d, %d; its output: %s%n", s1, s2, s3, started.log());
        return null;
      }
      ok = true;
      return new Figures(started.answer, started.ready, started.cpu, get1, get2, nextN, started.rssMb);
    } finally {
      started.stop();
      if (keep) System.out.println("kept " + started.dir);
      else if (ok) started.delete();
    }
  }

  // ---------------------------------------------------------------------------------------- a started product

  /** One start of the product in a directory of its own, on free ports, up to its readiness. */
  static final class Started {
    final Path dir;
    final Process process;
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    double answer = -1;
    double ready = -1;
    double cpu = -1;
    double rssMb = -1;

    private Started(Path dir, Process process, int port) {
      this.dir = dir;
      this.process = process;
      this.port = port;
    }

    /** Started and ready, or null (said why) when it did not get ready within the timeout. */
    static Started launch(List<String> command, Duration timeout) throws IOException, InterruptedException {
      Path dir = Files.createTempDirectory("portcullis-start-");
      int port = freePort();
      List<String> cmd = new ArrayList<>();
      for (int i = 0; i < command.size(); i++) {
        String arg = command.get(i);
        if ((arg.equals("-jar") || arg.equals("-cp")) && i + 1 < command.size()) {
          cmd.add(arg);
          cmd.add(Path.of(command.get(++i)).toAbsolutePath().toString());
        } else if (arg.startsWith("-XX:SharedArchiveFile=")) {
          cmd.add("-XX:SharedArchiveFile=" + Path.of(arg.substring(arg.indexOf('=') + 1)).toAbsolutePath());
        } else {
          cmd.add(arg);
        }
      }
      cmd.add("--server.port=" + port);
      cmd.add("--spring.ldap.embedded.port=" + freePort());
      long start = System.nanoTime();
      Process process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("out.log").toFile()).start();
      Started s = new Started(dir, process, port);
      long deadline = start + timeout.toNanos();
      while (System.nanoTime() < deadline && process.isAlive()) {
        int status = s.status(HttpRequest.newBuilder(s.uri("/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build());
        double now = (System.nanoTime() - start) / 1e9;
        if (status > 0 && s.answer < 0) s.answer = now;
        if (status == 200) {
          s.ready = now;
          s.cpu = process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
          s.rssMb = rssMb(process.pid());
          return s;
        }
        pause();
      }
      System.out.printf("not ready after %s (alive: %s); its output: %s%n", timeout, process.isAlive(), s.log());
      s.stop();
      return null;
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    int get(String path, String user) {
      String basic = "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
      return status(HttpRequest.newBuilder(uri(path)).header("Authorization", basic).timeout(Duration.ofSeconds(60)).build());
    }

    /** The HTTP status, or 0 when nothing answered (connection refused, timed out). */
    int status(HttpRequest request) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        return 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }

    Path log() {
      return dir.resolve("out.log");
    }

    /** SIGTERM (a graceful shutdown), then the exit code. */
    int stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      return process.waitFor();
    }

    void delete() throws IOException {
      deleteTree(dir);
    }
  }

  // ---------------------------------------------------------------------------------------- helpers

  /** Waits one poll interval, on the JDK's delayed executor. */
  static void pause() {
    CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(POLL.toMillis(), TimeUnit.MILLISECONDS)).join();
  }

  /** The java launcher running this tool: the archive must be written by the JVM that will read it. */
  static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static double rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    } catch (IOException e) {
      // not Linux: no figure
    }
    return -1;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static Path defaultJar() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      return s.filter(p -> p.getFileName().toString().matches("portcullis-.*\\.jar")
          && !p.getFileName().toString().endsWith("-plain.jar")).findFirst()
          .orElseThrow(() -> new IOException("no target/portcullis-*.jar: run ./mvnw -B -ntp -DskipTests package first"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("no target/: run ./mvnw -B -ntp -DskipTests package first");
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String name(int k) {
    return k == 0 ? "A" : "B";
  }

  interface Figure {
    double of(Figures f);
  }

  static double median(List<Figures> r, Figure figure) {
    double[] v = r.stream().mapToDouble(figure::of).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static String stat(List<Figures> r, Figure figure, String format) {
    double[] v = r.stream().mapToDouble(figure::of).sorted().toArray();
    return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", median(r, figure), v[0], v[v.length - 1]);
  }

  static double ratio(List<List<Figures>> results, Figure figure) {
    return median(results.get(1), figure) / median(results.get(0), figure);
  }

  static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  static void usage() {
    System.out.println("""
        usage: java tools/FastStart.java prepare [--jar JAR] [--destination DIR]
                 extracts the packaged jar to DIR (target/fast-start) and writes its class-data archive
                 DIR/portcullis.jsa with a training run of the demo
               java tools/FastStart.java measure [--runs N] [--requests N] [--timeout S] [--keep] [--user NAME:PASSWORD]
                                                 [-- COMMAND... [--vs COMMAND...]]
                 COMMAND defaults to: java -jar target/portcullis-*.jar (build it first: ./mvnw -B -ntp -DskipTests package)
                 prints, per run and as medians: time to the first readiness 200, process CPU seconds then, the
                 first two GET /api/access-requests as alice and the N after them; with --vs, two commands in
                 turn and the ratio B/A""");
  }
}
