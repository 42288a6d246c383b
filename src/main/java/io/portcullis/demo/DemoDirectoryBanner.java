package io.portcullis.demo;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says loudly, once the application is up, that people and passwords come from the demo directory,
 * and how the demo's identity provider reaches the SCIM door.
 */
@Component
@Profile("demo")
class DemoDirectoryBanner {

  private static final Logger log = LoggerFactory.getLogger(DemoDirectoryBanner.class);

  /** The token whose SHA-256 application-demo.yml sets: public, like every demo password. */
  static final String DEMO_SCIM_TOKEN = "scim-demo-token";

  private final ObjectProvider<InMemoryDirectoryServer> directory;

  DemoDirectoryBanner(ObjectProvider<InMemoryDirectoryServer> directory) {
    this.directory = directory;
  }

  @EventListener(ApplicationReadyEvent.class)
  void warn(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    InMemoryDirectoryServer server = directory.getIfAvailable();
    String ldap =
        server == null
            ? "not started here (spring.ldap.urls names the directory)"
            : "on ldap://"
                + (server.getListenAddress() == null
                    ? "0.0.0.0 (EVERY INTERFACE)"
                    : server.getListenAddress().getHostAddress())
                + ":"
                + server.getListenPort()
                + ", this machine only (base dc=portcullis,dc=demo).\n"
                + "*  Anonymous clients read nothing, people only their own entry; only "
                + env.getProperty("spring.ldap.embedded.credential.username", "the service account")
                + " writes";
    String scim = env.getProperty("portcullis.public-url", "http://localhost:8080") + "/scim/v2";
    String line = "*".repeat(78);
    log.warn(
        "\n{}\n*  DEMO DIRECTORY IN USE: its people, groups and logins are the public demo organisation.\n"
            + "*  Embedded LDAP {}.\n*  Not for real access.\n"
            + "*  SCIM for identity providers at {}, with the PUBLIC bearer token {}.\n"
            + "*  Production: --spring.profiles.active=prod with spring.ldap.* pointing at your directory.\n{}",
        line,
        ldap,
        scim,
        DEMO_SCIM_TOKEN,
        line);
  }
}
