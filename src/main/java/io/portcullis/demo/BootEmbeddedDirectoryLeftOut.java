package io.portcullis.demo;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;

/**
 * Spring Boot's embedded LDAP never starts: it would listen on every interface with no access
 * control, and {@link DemoDirectoryAutoConfiguration} serves the same settings without either flaw.
 * A filter (registered in {@code META-INF/spring.factories}) rather than an exclusion in a settings
 * file, because any {@code spring.autoconfigure.exclude} given on a command line would replace that
 * list and bring the open server back.
 */
public class BootEmbeddedDirectoryLeftOut implements AutoConfigurationImportFilter {

  static final String BOOT_EMBEDDED_LDAP =
      "org.springframework.boot.autoconfigure.ldap.embedded.EmbeddedLdapAutoConfiguration";

  @Override
  public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
    boolean[] kept = new boolean[candidates.length];
    for (int i = 0; i < candidates.length; i++) {
      kept[i] = !BOOT_EMBEDDED_LDAP.equals(candidates[i]);
    }
    return kept;
  }
}
