package io.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModuleInformation;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The modules are docs/architecture.md's packages: no cycles between them, each uses only the
 * modules and named interfaces its {@code package-info.java} allows, and none reaches into
 * another's sub-packages. The module diagrams in {@code docs/modules} are what Spring Modulith
 * draws from the code: on drift the new ones are in {@code target/modules-docs}; {@code
 * -Dmodules.update=true} writes them over the committed copy.
 */
class ModularityTests {

  static final Path COMMITTED_DOCS = Path.of("docs/modules");
  static final Path GENERATED_DOCS = Path.of("target/modules-docs");

  private final ApplicationModules modules = ApplicationModules.of(PortcullisApplication.class);

  /**
   * Fails on a cycle, on a type of another module's sub-package, and on any dependency not
   * declared.
   */
  @Test
  void modulesUseOnlyWhatTheyDeclare() {
    modules.verify();
  }

  /**
   * The declared arrows are the real ones: an arrow no code uses any more is removed, not kept
   * "just in case".
   */
  @Test
  void everyDeclaredDependencyIsUsed() {
    Map<String, Set<String>> declared = new TreeMap<>();
    Map<String, Set<String>> used = new TreeMap<>();
    modules.forEach(
        module -> {
          declared.put(
              module.getIdentifier().toString(),
              allowedDependencies(module).stream()
                  .map(dependency -> dependency.split("::")[0].trim())
                  .collect(Collectors.toCollection(TreeSet::new)));
          used.put(
              module.getIdentifier().toString(),
              module
                  .getDirectDependencies(modules)
                  .uniqueModules()
                  .map(target -> target.getIdentifier().toString())
                  .collect(Collectors.toCollection(TreeSet::new)));
        });
    assertThat(declared).isEqualTo(used);
  }

  /**
   * A module that declares named interfaces is used only through them: its other public types are
   * its own (they stay public for its tests and for the engine's expressions, not for other
   * modules).
   */
  @Test
  void aModuleWithNamedInterfacesIsUsedOnlyThroughThem() {
    modules.forEach(
        module ->
            allowedDependencies(module).stream()
                .filter(dependency -> !dependency.contains("::"))
                .forEach(
                    target ->
                        assertThat(
                                modules
                                    .getModuleByName(target)
                                    .orElseThrow()
                                    .getNamedInterfaces()
                                    .hasExplicitInterfaces())
                            .as(
                                "%s depends on all of %s, which offers named interfaces",
                                module.getIdentifier(), target)
                            .isFalse()));
  }

  /**
   * request offers three interfaces: what offboarding asks of a leaver's requests, what credential
   * asks of a holder's, and the live grants that drift never takes away.
   */
  @Test
  void requestOffersLeaversToOffboardingHoldersToCredentialAndGrantsToDrift() {
    ApplicationModule request = modules.getModuleByName("request").orElseThrow();
    assertThat(
            request.getNamedInterfaces().stream()
                .filter(it -> it.isNamed())
                .map(it -> it.getName()))
        .containsExactlyInAnyOrder("grants", "holders", "leavers");
    assertThat(
            modules.stream()
                .filter(
                    module -> module.getDirectDependencies(modules).containsModuleNamed("request"))
                .map(module -> module.getIdentifier().toString()))
        .containsExactlyInAnyOrder("credential", "drift", "offboarding");
  }

  /**
   * The kernel's values and errors are every module's to use (a shared module), and it uses none of
   * them.
   */
  @Test
  void theKernelIsSharedAndUsesNoModule() {
    ApplicationModule kernel = modules.getModuleByName("kernel").orElseThrow();
    assertThat(modules.getSharedModules()).contains(kernel);
    assertThat(kernel.getDirectDependencies(modules).uniqueModules()).isEmpty();
  }

  @Test
  void theCommittedModuleDiagramsAreCurrent() throws IOException {
    new Documenter(
            modules, Documenter.Options.defaults().withOutputFolder(GENERATED_DOCS.toString()))
        .writeDocumentation();
    Map<String, String> generated = read(GENERATED_DOCS);
    assertThat(generated).containsKey("components.puml");
    if (Boolean.getBoolean("modules.update")) {
      if (Files.isDirectory(COMMITTED_DOCS)) {
        for (String name : read(COMMITTED_DOCS).keySet()) {
          Files.delete(COMMITTED_DOCS.resolve(name));
        }
      }
      Files.createDirectories(COMMITTED_DOCS);
      for (var file : generated.entrySet()) {
        Files.writeString(COMMITTED_DOCS.resolve(file.getKey()), file.getValue());
      }
    }
    Map<String, String> committed = read(COMMITTED_DOCS);
    Set<String> drifted = new TreeSet<>(committed.keySet());
    drifted.addAll(generated.keySet());
    drifted.removeIf(
        name -> generated.get(name) != null && generated.get(name).equals(committed.get(name)));
    assertThat(drifted)
        .as(
            "files of docs/modules that are not what the code draws: the new ones are in "
                + GENERATED_DOCS
                + "; copy them over (or run with -Dmodules.update=true) in the same commit")
        .isEmpty();
  }

  /**
   * What the module's {@code package-info.java} declares, as {@code module} or {@code module ::
   * interface}.
   */
  private static List<String> allowedDependencies(ApplicationModule module) {
    return ApplicationModuleInformation.of(module.getBasePackage()).getDeclaredDependencies();
  }

  /**
   * The Documenter writes a diagram's components and arrows, and a canvas's lists, in an order that
   * changes from one JVM to the next; each run of such lines is sorted, so that a file differs only
   * when the modules do.
   */
  static String inStableOrder(String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    int start = 0;
    while (start < lines.size()) {
      String kind = kindOf(lines.get(start));
      int end = start + 1;
      while (kind != null && end < lines.size() && kind.equals(kindOf(lines.get(end)))) {
        end++;
      }
      if (end - start > 1) {
        boolean cell = lines.get(start).startsWith("|");
        List<String> run =
            lines.subList(start, end).stream()
                .map(line -> line.startsWith("|") ? line.substring(1) : line)
                .sorted()
                .collect(Collectors.toCollection(ArrayList::new));
        if (cell) {
          run.set(0, "|" + run.get(0));
        }
        for (int i = 0; i < run.size(); i++) {
          lines.set(start + i, run.get(i));
        }
      }
      start = end;
    }
    return String.join("\n", lines) + "\n";
  }

  private static String kindOf(String line) {
    String trimmed = line.strip();
    if (trimmed.startsWith("Component(")) {
      return "component";
    }
    if (trimmed.startsWith("Rel(")) {
      return "arrow";
    }
    return trimmed.startsWith("* ") || trimmed.startsWith("|* ") ? "item" : null;
  }

  private static Map<String, String> read(Path folder) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (Stream<Path> listing = Files.list(folder)) {
      for (Path file : listing.filter(Files::isRegularFile).toList()) {
        files.put(file.getFileName().toString(), inStableOrder(Files.readString(file)));
      }
    }
    return files;
  }
}
