package io.portcullis.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.ldap.LdapGroupConnector;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import javax.naming.directory.DirContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.LdapContextSource;

/** No LDAP call of Portcullis can hang: every connection carries a connect and a read timeout. */
@PortcullisTest
class DirectoryTimeoutsTest {

  @Autowired LdapContextSource applicationSource;

  @Test
  void theApplicationsConnectionsCarryTheTimeouts() throws Exception {
    DirContext context = applicationSource.getReadWriteContext();
    try {
      assertThat(context.getEnvironment().get(DirectoryTimeouts.CONNECT_TIMEOUT)).isEqualTo("5000");
      assertThat(context.getEnvironment().get(DirectoryTimeouts.READ_TIMEOUT)).isEqualTo("10000");
    } finally {
      context.close();
    }
  }

  @Test
  void aDirectoryThatNeverAnswersFailsTheCallInsteadOfHangingIt() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (Exception closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();

      DirectoryProperties directory =
          new DirectoryProperties(
              "dc=portcullis,dc=demo",
              "ou=people",
              "ou=groups",
              null,
              null,
              null,
              null,
              null,
              Duration.ofMillis(500),
              Duration.ofMillis(500));
      LdapContextSource source = new LdapContextSource();
      source.setUrl("ldap://127.0.0.1:" + silent.getLocalPort());
      source.setUserDn("cn=admin,dc=portcullis,dc=demo");
      source.setPassword("admin-demo");
      source.setBaseEnvironmentProperties(new HashMap<>(DirectoryTimeouts.environment(directory)));
      source.afterPropertiesSet();
      LdapGroupConnector connector = new LdapGroupConnector(new LdapTemplate(source), directory);

      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () ->
              assertThatThrownBy(
                      () ->
                          connector.grant(
                              Username.of("alice"),
                              Target.of("cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo")))
                  .isInstanceOf(ConnectorException.class));
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }
}
