package io.portcullis;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The modules are docs/architecture.md's packages: no cycles between them, and none reaches into another's
 * sub-packages. Writes the module diagrams to target/spring-modulith-docs.
 */
class ModularityTests {

  private final ApplicationModules modules = ApplicationModules.of(PortcullisApplication.class);

  @Test
  void modulesHaveNoCyclesAndKeepTheirInternalsToThemselves() {
    modules.verify();
  }

  @Test
  void documentation() {
    new Documenter(modules).writeDocumentation();
    org.assertj.core.api.Assertions.assertThat(java.nio.file.Path.of("target/spring-modulith-docs/components.puml")).exists();
  }

  /** The kernel's values and errors are every module's to use (a shared module), and it uses none of them. */
  @Test
  void theKernelIsSharedAndUsesNoModule() {
    ApplicationModule kernel = modules.getModuleByName("kernel").orElseThrow();
    org.assertj.core.api.Assertions.assertThat(modules.getSharedModules()).contains(kernel);
    org.assertj.core.api.Assertions.assertThat(kernel.getDirectDependencies(modules).uniqueModules()).isEmpty();
  }
}
