package io.portcullis;

import org.junit.jupiter.api.Test;
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
}
